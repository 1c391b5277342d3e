using System.Diagnostics;

namespace Switchboard.IntegrationTests.ServerBehaviour;

/// <summary>
/// Issue 9.2 live: <c>command_timeout</c> and <c>pool_timeout</c> hold while a throwaway PostgreSQL server is stopped
/// (SIGSTOP) — one backend, then the postmaster with every backend. Always resumed (SIGCONT) in a finally; the shared
/// servers are never touched.
/// </summary>
[Collection(ServerRestartsDefinition.Name)]
public sealed class PostgreSqlServerStopTests(ThrowawayServers servers) : ServerTestBase(new PostgreSqlServerEngine())
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan PoolTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Switchboard's documented margin: the time a cancel has before the connection is closed.</summary>
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(1);

    /// <summary>Slack for a shared, busy machine on top of Switchboard's documented margin.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1.5);

    private ThrowawayServer? _server;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ABackendStopped_TheStatementFailsWithCommandTimeout_WithinTheTimeoutPlusTheCancelGrace(bool async)
    {
        var pool = await StoppablePoolAsync();
        var backend = await pool.ScalarAsync<long>("SELECT pg_backend_pid()", cancellationToken: Cancel);

        ProcessSignals.Send("STOP", backend);
        TimeSpan elapsed;
        Exception error;
        try
        {
            (error, elapsed) = await TimeFailureAsync(pool, async);
        }
        finally
        {
            ProcessSignals.Send("CONT", backend);
        }

        Report($"backend {backend} stopped: {error.GetType().Name} after {elapsed.TotalSeconds:0.00} s: {error.Message}");
        var timeout = Assert.IsType<CommandTimeoutException>(error);
        Assert.True(timeout.IsTransient);
        Assert.Contains("command_timeout", timeout.Message, StringComparison.Ordinal);
        Assert.InRange(elapsed, CommandTimeout, CommandTimeout + CancelGrace + Slack);
        Assert.NotEqual(backend, await pool.ScalarAsync<long>("SELECT pg_backend_pid()", cancellationToken: Cancel));
    }

    /// <remarks>
    /// Async only: a sync Npgsql call blocks inside the driver's own cancel request, which waits for the stopped
    /// postmaster and holds the lock that closing the connection needs; nothing outside Npgsql can end it (see the README).
    /// </remarks>
    [Fact]
    public async Task ThePostmasterAndEveryBackendStopped_AsyncStatementsAndCheckoutsStillHearWithinTheirDeadlines()
    {
        const bool async = true;
        var pool = await StoppablePoolAsync();
        var backend = await pool.ScalarAsync<long>("SELECT pg_backend_pid()", cancellationToken: Cancel);
        var postmaster = ProcessSignals.ParentOf(backend);
        var stopped = ProcessSignals.ChildrenOf(postmaster).Append(postmaster).ToList();

        ProcessSignals.Send("STOP", [.. stopped]);
        Exception statementError, checkoutError;
        TimeSpan statementElapsed, checkoutElapsed;
        try
        {
            (statementError, statementElapsed) = await TimeFailureAsync(pool, async);

            // The pool is empty now (the stopped connection was discarded): the next checkout connects to a stopped postmaster.
            (checkoutError, checkoutElapsed) = await TimeFailureAsync(pool, async);
        }
        finally
        {
            ProcessSignals.Send("CONT", [.. stopped]);
        }

        Report($"postmaster {postmaster} and {stopped.Count - 1} backends stopped: statement {statementError.GetType().Name} after {statementElapsed.TotalSeconds:0.00} s; "
            + $"checkout {checkoutError.GetType().Name} after {checkoutElapsed.TotalSeconds:0.00} s: {checkoutError.Message}");
        Assert.IsType<CommandTimeoutException>(statementError);
        Assert.InRange(statementElapsed, CommandTimeout, CommandTimeout + CancelGrace + Slack);
        Assert.IsType<PoolTimeoutException>(checkoutError);
        Assert.InRange(checkoutElapsed, PoolTimeout, PoolTimeout + Slack);
        await WaitUntilAsync(async () => await pool.ScalarAsync<long>("SELECT 1", cancellationToken: Cancel) == 1, "the server to answer after SIGCONT", seconds: 20);
    }

    protected override async Task<string> ServerUrlAsync()
    {
        _server ??= await servers.RequireAsync("postgres");
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

    private static async Task<(Exception Error, TimeSpan Elapsed)> TimeFailureAsync(Connection pool, bool async)
    {
        var watch = Stopwatch.StartNew();
        var run = async
            ? pool.ScalarAsync<long>("SELECT 1", cancellationToken: CancellationToken.None)
            : Task.Factory.StartNew(() => pool.Scalar<long>("SELECT 1"), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(20), Cancel));
        Assert.True(finished == run, $"The call was still waiting {watch.Elapsed.TotalSeconds:0.0} s after it started.");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => run);
        return (error, watch.Elapsed);
    }
}
