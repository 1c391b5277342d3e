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

    /// <summary>Longer than <see cref="PoolTimeout"/>, so that a connect to the stopped postmaster outlives the checkout.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(4);

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

    [Fact]
    public async Task ThePostmasterAndEveryBackendStopped_AsyncStatementsAndCheckoutsStillHearWithinTheirDeadlines()
    {
        var (statement, checkout) = await StopThePostmasterAsync(async: true);

        Assert.IsType<CommandTimeoutException>(statement.Error);
        Assert.InRange(statement.Elapsed, CommandTimeout, CommandTimeout + CancelGrace + Slack);
        Assert.IsType<PoolTimeoutException>(checkout.Error);
        Assert.InRange(checkout.Elapsed, PoolTimeout, PoolTimeout + Slack);
    }

    /// <remarks>
    /// A sync statement's thread is blocked in Npgsql's read, and Npgsql's own cancel would hold the lock every way out of
    /// that read needs for as long as the stopped postmaster keeps its connect pending (<c>connect_timeout</c>). So at the
    /// deadline Switchboard first asks the postmaster whether it answers at all; when it does not, no cancel is sent, and at
    /// the end of the grace the connection's socket is shut, which ends the read.
    /// </remarks>
    [Fact]
    public async Task ThePostmasterAndEveryBackendStopped_SyncStatementsAndCheckoutsStillHearWithinTheirDeadlines()
    {
        var (statement, checkout) = await StopThePostmasterAsync(async: false);

        Assert.IsType<CommandTimeoutException>(statement.Error);
        Assert.InRange(statement.Elapsed, CommandTimeout, CommandTimeout + CancelGrace + Slack);
        Assert.IsType<PoolTimeoutException>(checkout.Error);
        Assert.InRange(checkout.Elapsed, PoolTimeout, PoolTimeout + Slack);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ThePostmasterAndEveryBackendStopped_ACheckoutWhosePrePingHangs_HearsWithinPoolTimeout(bool async)
    {
        var pool = await StoppablePoolAsync(PrePing.Always);
        var backend = await pool.ScalarAsync<long>("SELECT pg_backend_pid()", cancellationToken: Cancel);
        var postmaster = ProcessSignals.ParentOf(backend);
        var stopped = ProcessSignals.ChildrenOf(postmaster).Append(postmaster).ToList();

        ProcessSignals.Send("STOP", [.. stopped]);
        (Exception Error, TimeSpan Elapsed) checkout;
        try
        {
            checkout = await TimeFailureAsync(pool, async);
        }
        finally
        {
            ProcessSignals.Send("CONT", [.. stopped]);
        }

        Report($"{(async ? "async" : "sync")}: postmaster {postmaster} and {stopped.Count - 1} backends stopped, pre-ping of the idle connection: "
            + $"{checkout.Error.GetType().Name} after {checkout.Elapsed.TotalSeconds:0.00} s: {checkout.Error.Message}");
        Assert.IsType<PoolTimeoutException>(checkout.Error);
        Assert.InRange(checkout.Elapsed, PoolTimeout, PoolTimeout + Slack);
        await WaitUntilAsync(async () => await pool.ScalarAsync<long>("SELECT 1", cancellationToken: Cancel) == 1, "the server to answer after SIGCONT", seconds: 20);
    }

    protected override async Task<string> ServerUrlAsync()
    {
        _server ??= await servers.RequireAsync("postgres");
        return _server.Url;
    }

    private Task<Connection> StoppablePoolAsync(PrePing prePing = PrePing.Never) => PoolAsync(c =>
    {
        c.PoolSize = 1;
        c.CommandTimeout = CommandTimeout;
        c.PoolTimeout = PoolTimeout;
        c.ConnectTimeout = ConnectTimeout;
        c.PoolPrePing = prePing;
    });

    /// <summary>
    /// Stops the postmaster and every backend, then times a statement on the pool's one connection and, the pool being
    /// empty after it, a checkout that must connect to the stopped postmaster; resumes them and waits for the server.
    /// </summary>
    private async Task<((Exception Error, TimeSpan Elapsed) Statement, (Exception Error, TimeSpan Elapsed) Checkout)> StopThePostmasterAsync(bool async)
    {
        var pool = await StoppablePoolAsync();
        var backend = await pool.ScalarAsync<long>("SELECT pg_backend_pid()", cancellationToken: Cancel);
        var postmaster = ProcessSignals.ParentOf(backend);
        var stopped = ProcessSignals.ChildrenOf(postmaster).Append(postmaster).ToList();

        ProcessSignals.Send("STOP", [.. stopped]);
        (Exception Error, TimeSpan Elapsed) statement, checkout;
        try
        {
            statement = await TimeFailureAsync(pool, async);

            // The pool is empty now (the stopped connection was discarded): the next checkout connects to a stopped postmaster.
            checkout = await TimeFailureAsync(pool, async);
        }
        finally
        {
            ProcessSignals.Send("CONT", [.. stopped]);
        }

        Report($"{(async ? "async" : "sync")}: postmaster {postmaster} and {stopped.Count - 1} backends stopped: statement {statement.Error.GetType().Name} after {statement.Elapsed.TotalSeconds:0.00} s: {statement.Error.Message}; "
            + $"checkout {checkout.Error.GetType().Name} after {checkout.Elapsed.TotalSeconds:0.00} s: {checkout.Error.Message}");
        await WaitUntilAsync(async () => await pool.ScalarAsync<long>("SELECT 1", cancellationToken: Cancel) == 1, "the server to answer after SIGCONT", seconds: 20);
        return (statement, checkout);
    }

    private static async Task<(Exception Error, TimeSpan Elapsed)> TimeFailureAsync(Connection pool, bool async)
    {
        var watch = Stopwatch.StartNew();
        var run = async
            ? pool.ScalarAsync<long>("SELECT 1", cancellationToken: CancellationToken.None)
            : Task.Factory.StartNew(() => pool.Scalar<long>("SELECT 1"), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(40), Cancel));
        Assert.True(finished == run, $"The call was still waiting {watch.Elapsed.TotalSeconds:0.0} s after it started.");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => run);
        return (error, watch.Elapsed);
    }
}
