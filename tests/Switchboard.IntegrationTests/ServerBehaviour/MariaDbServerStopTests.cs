using System.Diagnostics;
using System.Globalization;

namespace Switchboard.IntegrationTests.ServerBehaviour;

/// <summary>
/// Issue 9.2 live on MariaDB: with the whole server stopped (SIGSTOP on mariadbd; one process serves every session),
/// an async statement still hears within <c>command_timeout</c> plus the cancel's grace (MySqlConnector's cancel is a
/// KILL QUERY on a new connection, which hangs), and a checkout within <c>pool_timeout</c>. A sync statement, and a COMMIT
/// or ROLLBACK either way, hear within their deadlines too: the connection's socket is shut, which ends a sync read that
/// MySqlConnector's close from another thread does not. Always resumed in a finally.
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
        var pool = await StoppablePoolAsync();
        var server = await ServerPidAsync();
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

    [Fact]
    public async Task TheServerStopped_ASyncStatementHearsWithinCommandTimeoutPlusTheCancelGrace()
    {
        var pool = await StoppablePoolAsync();
        var server = await ServerPidAsync();
        Assert.Equal(1, await pool.ScalarAsync<long>("SELECT 1", cancellationToken: Cancel));

        ProcessSignals.Send("STOP", server);
        Exception error;
        TimeSpan elapsed;
        try
        {
            (error, elapsed) = await TimeAsync(() => Task.Factory.StartNew(
                () => pool.Scalar<long>("SELECT 1"), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        }
        finally
        {
            ProcessSignals.Send("CONT", server);
        }

        Report($"mariadbd {server} stopped: sync statement {error.GetType().Name} after {elapsed.TotalSeconds:0.00} s: {error.Message}");
        Assert.IsType<CommandTimeoutException>(error);
        Assert.InRange(elapsed, CommandTimeout, CommandTimeout + CancelGrace + Slack);
        await WaitUntilAsync(async () => await pool.ScalarAsync<long>("SELECT 1", cancellationToken: Cancel) == 1, "the server to answer after SIGCONT", seconds: 20);
    }

    /// <remarks>
    /// A COMMIT or ROLLBACK has no command to cancel: at <c>command_timeout</c> the connection is given up at once. For a
    /// sync caller that means shutting its socket: MySqlConnector's close would first roll the transaction back and wait
    /// for the stopped server's answer, so the caller heard only when MySqlConnector's own timer gave up, a second later.
    /// </remarks>
    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public async Task TheServerStopped_CommitAndRollbackHearWithinCommandTimeout(bool async, bool commit)
    {
        var pool = await StoppablePoolAsync();
        var server = await ServerPidAsync();
        await pool.ExecuteAsync("CREATE TABLE IF NOT EXISTS stop_probe (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(40) NOT NULL)", cancellationToken: Cancel);
        using var inTransaction = new SemaphoreSlim(0);
        using var serverStopped = new SemaphoreSlim(0);
        var watch = new Stopwatch();

        // The whole transaction runs on one flow (it is ambient), the sync one on a thread of its own.
        var end = async
            ? Task.Run(async () =>
            {
                await using var transaction = new Transaction(pool);
                await pool.ExecuteAsync("INSERT INTO stop_probe (note) VALUES ('async')", cancellationToken: CancellationToken.None);
                inTransaction.Release();
                await serverStopped.WaitAsync(CancellationToken.None);
                watch.Start();
                await (commit ? transaction.CommitAsync(CancellationToken.None) : transaction.RollbackAsync(CancellationToken.None));
            })
            : Task.Factory.StartNew(
                () =>
                {
                    using var transaction = new Transaction(pool);
                    pool.Execute("INSERT INTO stop_probe (note) VALUES ('sync')");
                    inTransaction.Release();
                    serverStopped.Wait(CancellationToken.None);
                    watch.Start();
                    if (commit)
                    {
                        transaction.Commit();
                    }
                    else
                    {
                        transaction.Rollback();
                    }
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        Assert.True(await inTransaction.WaitAsync(TimeSpan.FromSeconds(20), Cancel), "The transaction did not start.");

        ProcessSignals.Send("STOP", server);
        Exception error;
        TimeSpan elapsed;
        try
        {
            serverStopped.Release();
            (error, _) = await TimeAsync(() => end);
            elapsed = watch.Elapsed;
        }
        finally
        {
            ProcessSignals.Send("CONT", server);
        }

        Report($"mariadbd {server} stopped: {(async ? "async" : "sync")} {(commit ? "COMMIT" : "ROLLBACK")} {error.GetType().Name} after {elapsed.TotalSeconds:0.00} s: {error.Message}");
        var failure = Assert.IsType<TransactionException>(error);
        Assert.IsType<CommandTimeoutException>(failure.InnerException);
        Assert.InRange(elapsed, CommandTimeout - TimeSpan.FromMilliseconds(50), CommandTimeout + TimeSpan.FromSeconds(0.6));
        await WaitUntilAsync(async () => await pool.ScalarAsync<long>("SELECT 1", cancellationToken: Cancel) == 1, "the server to answer after SIGCONT", seconds: 20);
    }

    protected override async Task<string> ServerUrlAsync()
    {
        _server ??= await servers.RequireAsync("mariadb");
        return _server.Url;
    }

    private Task<Connection> StoppablePoolAsync() => PoolAsync(c =>
    {
        c.PoolSize = 1;
        c.CommandTimeout = CommandTimeout;
        c.PoolTimeout = PoolTimeout;
        c.ConnectTimeout = TimeSpan.FromSeconds(10);
        c.PoolPrePing = PrePing.Never;
    });

    /// <summary>The throwaway server's mariadbd: one process serves every session, so stopping it stops them all.</summary>
    private async Task<long> ServerPidAsync()
    {
        var monitor = await MonitorAsync();
        var pidFile = await monitor.ScalarAsync<string>("SELECT @@pid_file", cancellationToken: Cancel);
        return long.Parse((await File.ReadAllTextAsync(pidFile!, Cancel)).Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Waits (at most 20 s) for a call that must fail, and returns its error and how long it ran from here.</summary>
    private static async Task<(Exception Error, TimeSpan Elapsed)> TimeAsync(Func<Task> call)
    {
        var watch = Stopwatch.StartNew();
        var run = call();
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(20), Cancel));
        Assert.True(finished == run, $"The call was still waiting {watch.Elapsed.TotalSeconds:0.0} s after it started.");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => run);
        return (error, watch.Elapsed);
    }

    private static Task<(Exception Error, TimeSpan Elapsed)> TimeFailureAsync(Connection pool) =>
        TimeAsync(() => pool.ScalarAsync<long>("SELECT 1", cancellationToken: CancellationToken.None));
}
