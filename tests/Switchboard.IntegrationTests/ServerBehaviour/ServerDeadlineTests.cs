using System.Diagnostics;

namespace Switchboard.IntegrationTests.ServerBehaviour;

/// <summary>
/// Issue 9.2 on every server engine: a statement that outlives <c>command_timeout</c> fails with a
/// <see cref="CommandTimeoutException"/> within the timeout plus the cancel's grace, is cancelled on the server, and its
/// connection is discarded (the server stops listing its session); the next statement runs on a new connection.
/// </summary>
public abstract class ServerDeadlineTests(ServerEngine engine) : ServerTestBase(engine)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Switchboard's documented margin (the cancel's grace, 1 s) plus slack for a shared, busy machine.</summary>
    private static readonly TimeSpan Bound = CommandTimeout + TimeSpan.FromSeconds(1) + TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// The earliest the timeout may be heard. The driver's own timer (MySqlConnector's) measures from when it sends the
    /// statement on a clock of its own and can fire a few milliseconds before this test's stopwatch reaches the full second;
    /// 50 ms of slack keeps "not before the timeout" without failing on timer granularity.
    /// </summary>
    private static readonly TimeSpan Earliest = CommandTimeout - TimeSpan.FromMilliseconds(50);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AStatementLongerThanCommandTimeout_FailsWithCommandTimeout_AndItsSessionIsDiscarded(bool async)
    {
        var pool = await PoolAsync(c =>
        {
            c.PoolSize = 2;
            c.CommandTimeout = CommandTimeout;
        });
        var sql = Engine.SessionIdAfterSleepSql(5);

        // The connection is opened first, so that the time measured is the statement's (a connect counts against
        // pool_timeout, and on a busy machine a password handshake alone can take a second).
        Assert.Equal(1, await pool.ScalarAsync<long>("SELECT 1", cancellationToken: Cancel));
        var watch = Stopwatch.StartNew();
        var run = async
            ? pool.ScalarAsync<long>(sql, cancellationToken: CancellationToken.None)
            : Task.Factory.StartNew(() => pool.Scalar<long>(sql), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => run);
        var elapsed = watch.Elapsed;

        Report($"{error.GetType().Name} after {elapsed.TotalSeconds:0.00} s: {error.Message}");
        var timeout = Assert.IsType<CommandTimeoutException>(error);
        Assert.True(timeout.IsTransient);
        Assert.Contains("command_timeout", timeout.Message, StringComparison.Ordinal);
        Assert.InRange(elapsed, Earliest, Bound);
        Assert.Equal(0, pool.Statistics.Size);
        await WaitUntilAsync(async () => (await SessionsAsync()).Count == 0, "the timed-out session to end on the server");
        Assert.Equal(1, await pool.ScalarAsync<long>("SELECT 1", cancellationToken: Cancel));
    }
}
