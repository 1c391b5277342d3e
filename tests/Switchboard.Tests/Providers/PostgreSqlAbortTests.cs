using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Switchboard.PostgreSql;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Providers;

/// <summary>
/// How Switchboard's PostgreSQL data source ends a statement that outlived its deadline without waiting on Npgsql's cancel
/// lock: it probes the server before cancelling (a stopped postmaster gets no cancel, which would hold the lock until
/// connect_timeout), shuts the connection's socket to end a blocked sync read, and sets Npgsql's own timer after the
/// deadline. The stopped-server behaviour itself is proven live in PostgreSqlServerStopTests.
/// </summary>
public class PostgreSqlAbortTests
{
    private static NpgsqlConnection Open()
    {
        var url = TestServers.Require(TestServers.PostgresVariable);
        var config = ConnectionConfig.Parse(url);
        config.Driver = "postgresql";
        var connection = new NpgsqlConnection(PostgreSqlDataSource.BuildConnectionString(config, "abort-tests"));
        connection.Open();
        return connection;
    }

    /// <summary>Fails on an Npgsql upgrade that renames what <see cref="NpgsqlSocket"/> reads, so its fallback is never reached unnoticed.</summary>
    [Fact]
    public void TheSocketOfAnOpenConnection_IsFound_AndItsPeerIsTheServer()
    {
        using var connection = Open();

        var socket = NpgsqlSocket.Of(connection);

        Assert.NotNull(socket);
        Assert.True(socket.Connected);
        var peer = Assert.IsType<IPEndPoint>(NpgsqlSocket.PeerOf(connection));
        Assert.Equal(connection.Port, peer.Port);
        connection.Close();
        Assert.Null(NpgsqlSocket.Of(connection));
    }

    [Fact]
    public async Task ShuttingTheSocket_EndsASyncStatementBlockedInARead_AtOnce()
    {
        using var connection = Open();
        using var command = new NpgsqlCommand("SELECT pg_sleep(30)", connection) { CommandTimeout = 60 };
        var watch = Stopwatch.StartNew();
        var blocked = Task.Factory.StartNew(() => command.ExecuteScalar(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.False(blocked.IsCompleted);

        Assert.True(NpgsqlSocket.ShutDown(connection));

        var finished = await Task.WhenAny(blocked, Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Same(blocked, finished);
        await Assert.ThrowsAnyAsync<Exception>(() => blocked);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
    }

    [Fact]
    public void ALiveServer_AnswersTheProbe()
    {
        using var connection = Open();

        Assert.True(PostmasterProbe.Answers(NpgsqlSocket.PeerOf(connection)!, PostmasterProbe.AnswerTime));
    }

    /// <summary>A listener that never accepts is what a stopped postmaster is to a client: the kernel completes the connection, nobody answers.</summary>
    [Fact]
    public void AServerThatAcceptsButNeverAnswers_FailsTheProbe_WithinItsTime()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        silent.Listen(8);
        var watch = Stopwatch.StartNew();

        Assert.False(PostmasterProbe.Answers(silent.LocalEndPoint!, TimeSpan.FromMilliseconds(300)));

        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void NoServerAtAll_FailsTheProbe()
    {
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var endpoint = closed.LocalEndPoint!;
        closed.Close();

        Assert.False(PostmasterProbe.Answers(endpoint, TimeSpan.FromSeconds(2)));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0.4, 3)]
    [InlineData(2, 4)]
    [InlineData(30, 32)]
    public void NpgsqlsOwnTimer_FiresTwoSecondsAfterTheDeadline_OrNeverWhenThereIsNone(double commandTimeout, int expected)
    {
        var config = ConnectionConfig.Parse("postgresql://app@db.internal/analytics");
        config.CommandTimeout = TimeSpan.FromSeconds(commandTimeout);
        var source = new PostgreSqlDriver().CreateDataSource(config, "t");

        Assert.Equal(expected, source.CommandTimeoutSeconds(config.CommandTimeout));
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(PostgreSqlDataSource.BuildConnectionString(config, "t")).CommandTimeout);
    }
}
