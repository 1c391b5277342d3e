using System.Diagnostics;
using Switchboard.Pooling;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Pooling;

/// <summary>
/// Issue 9.2: a checkout hears within <c>pool_timeout</c> whatever the server does: a connect that hangs, a pre-ping that
/// hangs, or timers that fire late on a starved thread pool. The clock is real, with generous bounds for a busy machine.
/// </summary>
[Collection(nameof(WallClockCollection))]
public class PoolDeadlineTests
{
    private static readonly TimeSpan PoolTimeout = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan Bound = PoolTimeout + TimeSpan.FromSeconds(2);

    private static Connection Configure(TestDatabase db, FakeDriver driver, int poolSize = 1, string prePing = "never")
    {
        db.Registry.RegisterDriver(driver);
        return db.Registry.Configure("waits", new Dictionary<string, object?>
        {
            ["driver"] = driver.Name,
            ["database"] = "fake",
            ["pool_size"] = poolSize,
            ["pool_timeout"] = PoolTimeout.TotalSeconds,
            ["connect_timeout"] = 60,
            ["pool_pre_ping"] = prePing,
        });
    }

    private static Task<PooledConnection> Rent(Connection connection, bool async) => async
        ? connection.Pool.RentAsync(async: true, CancellationToken.None).AsTask()
        : Task.Factory.StartNew(() => connection.Pool.RentAsync(async: false, CancellationToken.None).GetAwaiter().GetResult(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static async Task<(Exception Error, TimeSpan Elapsed)> TimeFailure(Task<PooledConnection> rent, Stopwatch watch)
    {
        var finished = await Task.WhenAny(rent, Task.Delay(Bound + TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
        Assert.True(finished == rent, $"The checkout was still waiting {watch.Elapsed.TotalSeconds:0.0} s after it started (pool_timeout {PoolTimeout.TotalSeconds} s).");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => rent);
        return (error, watch.Elapsed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AConnectThatHangs_IsBoundedByPoolTimeout_AndItsConnectionJoinsThePoolWhenItOpens(bool async)
    {
        using var db = new TestDatabase();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var driver = new FakeDriver { BeforeOpen = _ => gate.Task };
        var connection = Configure(db, driver);

        var watch = Stopwatch.StartNew();
        var (error, elapsed) = await TimeFailure(Rent(connection, async), watch);

        var timeout = Assert.IsType<PoolTimeoutException>(error);
        Assert.Contains("connect_timeout", timeout.Message, StringComparison.Ordinal);
        Assert.InRange(elapsed, PoolTimeout, Bound);
        Assert.Equal(1, connection.Statistics.Timeouts);

        // The connect goes on in the background, bounded by connect_timeout; once open, the connection is pooled.
        gate.SetResult();
        await WaitFor(() => connection.Statistics.Idle == 1);
        Assert.Equal(new PoolStatistics(1, 1, 0, 0, 1, 0, 1, 1), connection.Statistics);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AWaiterGrantedASlot_WhoseConnectHangs_StillHearsWithinPoolTimeout(bool async)
    {
        using var db = new TestDatabase();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var driver = new FakeDriver();
        var connection = Configure(db, driver);
        var held = await Rent(connection, async: true);

        driver.BeforeOpen = _ => gate.Task;
        var watch = Stopwatch.StartNew();
        var waiter = Rent(connection, async);
        await WaitFor(() => connection.Statistics.Waiting == 1);
        held.MarkDisconnected();
        held.Pool.Return(held, held.Lease); // the slot comes free; the waiter opens its own connection, which hangs
        var (error, elapsed) = await TimeFailure(waiter, watch);

        Assert.IsType<PoolTimeoutException>(error);
        Assert.InRange(elapsed, PoolTimeout, Bound);
        gate.SetResult();
        await WaitFor(() => connection.Statistics.Idle == 1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task APrePingThatHangs_IsGivenUpAtPoolTimeout_ItsConnectionDiscarded_AndTheCallerGetsANewOne(bool async)
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        var connection = Configure(db, driver, prePing: "always");
        var first = await Rent(connection, async: true);
        first.Pool.Return(first, first.Lease);

        driver.PingHangs = true;
        var watch = Stopwatch.StartNew();
        var rent = Rent(connection, async);
        var finished = await Task.WhenAny(rent, Task.Delay(Bound + TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));

        Assert.True(finished == rent, $"The checkout was still waiting on the hung pre-ping after {watch.Elapsed.TotalSeconds:0.0} s.");
        var next = await rent;
        Assert.InRange(watch.Elapsed, PoolTimeout, Bound);
        Assert.NotSame(first, next);
        Assert.Equal(2, connection.Statistics.Opened);
        Assert.Equal(1, connection.Statistics.Closed);
        next.Pool.Return(next, next.Lease);
    }

    [Fact]
    public async Task ASyncPrePingThatOutlivesTheCloseOfItsConnection_IsGivenUpAtPoolTimeout_EvenWhenTimersFireLate()
    {
        // Npgsql's sync ping, while its own cancel request waits on a stopped postmaster, ends neither when its connection
        // is closed nor at any deadline of ours: a sync checkout must not run it on the caller's thread.
        using var db = new TestDatabase(new LateTimers());
        var driver = new FakeDriver();
        var connection = Configure(db, driver, prePing: "always");
        var first = await Rent(connection, async: true);
        first.Pool.Return(first, first.Lease);

        driver.PingHangs = true;
        driver.SyncPingOutlivesClose = true;
        try
        {
            var watch = Stopwatch.StartNew();
            var rent = Rent(connection, async: false);
            var finished = await Task.WhenAny(rent, Task.Delay(Bound + TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));

            Assert.True(finished == rent, $"The sync checkout was still waiting on the hung pre-ping after {watch.Elapsed.TotalSeconds:0.0} s.");
            var next = await rent;
            Assert.InRange(watch.Elapsed, PoolTimeout, Bound);
            Assert.NotSame(first, next);
            Assert.Equal(2, connection.Statistics.Opened);
            Assert.Equal(1, connection.Statistics.Closed);
            next.Pool.Return(next, next.Lease);
        }
        finally
        {
            driver.ReleaseSyncPings();
        }
    }

    [Fact]
    public async Task ASyncWaiter_TimesOutOnTime_EvenWhenTimersFireLate()
    {
        // Timers run on the thread pool: when it is starved (every thread blocked in a sync call), they fire seconds late.
        // A sync waiter blocks its own thread and must wake itself at its deadline.
        using var db = new TestDatabase(new LateTimers());
        var connection = Configure(db, new FakeDriver());
        var held = await Rent(connection, async: true);

        var watch = Stopwatch.StartNew();
        var (error, elapsed) = await TimeFailure(Rent(connection, async: false), watch);

        Assert.IsType<PoolTimeoutException>(error);
        Assert.InRange(elapsed, PoolTimeout, Bound);
        Assert.Equal(0, connection.Statistics.Waiting);
        held.Pool.Return(held, held.Lease);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "The condition did not come true within 10 s.");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The system clock, whose timers never fire: a thread pool too starved to run their callbacks.</summary>
    private sealed class LateTimers : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new Never();

        private sealed class Never : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
