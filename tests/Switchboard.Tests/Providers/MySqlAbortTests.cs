using System.Data;
using System.Diagnostics;
using System.Net;
using MySqlConnector;
using Switchboard.MySql;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Providers;

/// <summary>
/// How Switchboard's MySQL data source ends a call that outlived its deadline: it shuts the connection's socket, which ends
/// a sync read blocked in it (MySqlConnector's close from another thread does not). The stopped-server behaviour itself is
/// proven live in MariaDbServerStopTests.
/// </summary>
public class MySqlAbortTests
{
    private static MySqlConnection Open()
    {
        var url = TestServers.Require(TestServers.MySqlVariable);
        var config = ConnectionConfig.Parse(url);
        config.Driver = "mysql";
        var connection = new MySqlConnection(Switchboard.MySql.MySqlDataSource.BuildConnectionString(config, "abort-tests"));
        connection.Open();
        return connection;
    }

    /// <summary>Fails on a MySqlConnector upgrade that renames what <see cref="MySqlSocket"/> reads, so its fallback is never reached unnoticed.</summary>
    [Fact]
    public void TheSocketOfAnOpenConnection_IsFound_AndItsPeerIsTheServer()
    {
        using var connection = Open();

        var socket = MySqlSocket.Of(connection);

        Assert.NotNull(socket);
        Assert.True(socket.Connected);
        var peer = Assert.IsType<IPEndPoint>(socket.RemoteEndPoint);
        Assert.Equal(new MySqlConnectionStringBuilder(connection.ConnectionString).Port, (uint)peer.Port);
        connection.Close();
        Assert.Null(MySqlSocket.Of(connection));
        Assert.False(MySqlSocket.ShutDown(connection));
    }

    [Fact]
    public async Task ShuttingTheSocket_EndsASyncStatementBlockedInARead_AtOnce()
    {
        using var connection = Open();
        using var command = new MySqlCommand("SELECT SLEEP(30)", connection) { CommandTimeout = 60 };
        var watch = Stopwatch.StartNew();
        var blocked = Task.Factory.StartNew(() => command.ExecuteScalar(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.False(blocked.IsCompleted);

        Assert.True(MySqlSocket.ShutDown(connection));

        var finished = await Task.WhenAny(blocked, Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Same(blocked, finished);
        await Assert.ThrowsAnyAsync<Exception>(() => blocked);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    /// <remarks>
    /// In a transaction, MySqlConnector's close first rolls it back and waits for the server's answer, which a server busy
    /// with the statement (or stopped) does not give: only a shut socket ends both at once.
    /// </remarks>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Abort_EndsASyncStatementBlockedInARead_AndClosesTheConnection(bool inTransaction)
    {
        var config = ConnectionConfig.Parse(TestServers.Require(TestServers.MySqlVariable));
        config.Driver = "mysql";
        using var source = new MySqlDriver().CreateDataSource(config, "abort-tests");
        var connection = (MySqlConnection)source.CreateConnection();
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var transaction = inTransaction ? await connection.BeginTransactionAsync(TestContext.Current.CancellationToken) : null;
        using var command = new MySqlCommand("SELECT SLEEP(30)", connection, transaction) { CommandTimeout = 60 };
        var blocked = Task.Factory.StartNew(() => command.ExecuteScalar(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        var watch = Stopwatch.StartNew();

        var abort = Task.Run(() => source.Abort(connection), TestContext.Current.CancellationToken);

        Assert.Same(abort, await Task.WhenAny(abort, Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)));
        var finished = await Task.WhenAny(blocked, Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Same(blocked, finished);
        await Assert.ThrowsAnyAsync<Exception>(() => blocked);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.Equal(ConnectionState.Closed, connection.State);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0.4, 3)]
    [InlineData(2, 4)]
    [InlineData(30, 32)]
    public void MySqlConnectorsOwnTimer_FiresTwoSecondsAfterTheDeadline_OrNeverWhenThereIsNone(double commandTimeout, int expected)
    {
        var config = ConnectionConfig.Parse("mysql://app@db.internal/shop");
        config.CommandTimeout = TimeSpan.FromSeconds(commandTimeout);
        using var source = new MySqlDriver().CreateDataSource(config, "t");

        Assert.Equal(expected, source.CommandTimeoutSeconds(config.CommandTimeout));
        Assert.Equal((uint)expected, new MySqlConnectionStringBuilder(Switchboard.MySql.MySqlDataSource.BuildConnectionString(config, "t")).DefaultCommandTimeout);
    }
}
