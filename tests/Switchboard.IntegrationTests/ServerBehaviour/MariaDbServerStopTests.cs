using System.Diagnostics;
using System.Globalization;

namespace Switchboard.IntegrationTests.ServerBehaviour;

/// <summary>
/// Issue 9.2 live on MariaDB: with the whole server stopped (SIGSTOP on mariadbd; one process serves every session),
/// an async statement still hears within <c>command_timeout</c> plus the cancel's grace (MySqlConnector's cancel is a
/// KILL QUERY on a new connection, which hangs), and a checkout within <c>pool_timeout</c>. Always resumed in a finally.
/// </summary>
[Collection(ServerRestartsDefinition.Name)]
public sealed class MariaDbServerStopTests(ThrowawayServers servers) : ServerTestBase(new MariaDbServerEngine())
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan PoolTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Switchboard's documented margin: the time a cancel has before the connection is closed.</summary>
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1.5);

    private ThrowawayServer? _server;

    [Fact]
    public async Task TheServerStopped_AsyncStatementsAndCheckoutsStillHearWithinTheirDeadlines()
    {
        var pool = await PoolAsync(c =>
        {
            c.PoolSize = 1;
            c.CommandTimeout = CommandTimeout;
            c.PoolTimeout = PoolTimeout;
            c.ConnectTimeout = TimeSpan.FromSeconds(10);
            c.PoolPrePing = PrePing.Never;
        });
        var monitor = await MonitorAsync();
        var pidFile = await monitor.ScalarAsync<string>("SELECT @@pid_file", cancellationToken: Cancel);
        var server = long.Parse((await File.ReadAllTextAsync(pidFile!, Cancel)).Trim(), CultureInfo.InvariantCulture);
        Assert.Equal(1, await pool.ScalarAsync<long>("SELECT 1", cancellationToken: Cancel));

        ProcessSignals.Send("STOP", server);
        Exception statementError, checkoutError;
        TimeSpan statementElapsed, checkoutElapsed;
        try
        {
            (statementError, statementElapsed) = await TimeFailureAsync(pool);
            (checkoutError, checkoutElapsed) = await TimeFailureAsync(pool);
        }
        finally
        {
            ProcessSignals.Send("CONT", server);
        }

        Report($"mariadbd {server} stopped: statement {statementError.GetType().Name} after {statementElapsed.TotalSeconds:0.00} s; "
            + $"checkout {checkoutError.GetType().Name} after {checkoutElapsed.TotalSeconds:0.00} s: {checkoutError.Message}");
        Assert.IsType<CommandTimeoutException>(statementError);
        Assert.InRange(statementElapsed, CommandTimeout, CommandTimeout + CancelGrace + Slack);
        Assert.IsType<PoolTimeoutException>(checkoutError);
        Assert.InRange(checkoutElapsed, PoolTimeout, PoolTimeout + Slack);
        await WaitUntilAsync(async () => await pool.ScalarAsync<long>("SELECT 1", cancellationToken: Cancel) == 1, "the server to answer after SIGCONT", seconds: 20);
    }

    protected override async Task<string> ServerUrlAsync()
    {
        _server ??= await servers.RequireAsync("mariadb");
        return _server.Url;
    }

    private static async Task<(Exception Error, TimeSpan Elapsed)> TimeFailureAsync(Connection pool)
    {
        var watch = Stopwatch.StartNew();
        var run = pool.ScalarAsync<long>("SELECT 1", cancellationToken: CancellationToken.None);
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(20), Cancel));
        Assert.True(finished == run, $"The call was still waiting {watch.Elapsed.TotalSeconds:0.0} s after it started.");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => run);
        return (error, watch.Elapsed);
    }
}
