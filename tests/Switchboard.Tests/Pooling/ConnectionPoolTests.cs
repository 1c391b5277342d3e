using System.Collections.Concurrent;
using System.Diagnostics;
using Switchboard.Pooling;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Pooling;

/// <summary>docs/RELIABILITY.md items 1, 2, 4, 7, 8, 10, 17, 18, 20 and 28, on SQLite files and the fake driver.</summary>
public class ConnectionPoolTests
{
    private static Connection Configure(TestDatabase db, FakeDriver driver, int size, double timeoutSeconds, double? recycleSeconds = null, string name = "pool")
    {
        db.Registry.RegisterDriver(driver);
        return db.Registry.Configure(name, new Dictionary<string, object?>
        {
            ["driver"] = driver.Name,
            ["database"] = "fake",
            ["pool_size"] = size,
            ["pool_timeout"] = timeoutSeconds,
            ["pool_recycle"] = recycleSeconds ?? -1,
        });
    }

    private static async Task<PooledConnection> Rent(Connection connection) => await connection.Pool.RentAsync(async: true, CancellationToken.None);

    private static void Return(PooledConnection physical) => physical.Pool.Return(physical, physical.Lease);

    [Fact]
    public async Task Checkout_WhenPoolExhausted_ThrowsPoolTimeoutAfterTheConfiguredWaitAndNeverEarlier()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        var connection = Configure(db, new FakeDriver(), size: 3, timeoutSeconds: 2);
        var held = new[] { await Rent(connection), await Rent(connection), await Rent(connection) };

        var fourth = connection.Pool.RentAsync(async: true, CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromMilliseconds(1999));
        await Task.Delay(20, TestContext.Current.CancellationToken);
        Assert.False(fourth.IsCompleted);
        Assert.Equal(1, connection.Statistics.Waiting);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        var error = await Assert.ThrowsAsync<PoolTimeoutException>(() => fourth);
        Assert.Contains("'pool'", error.Message);
        Assert.Contains("all 3 connections", error.Message);
        Assert.Contains("2 s", error.Message);
        Assert.Equal(3, error.PoolSize);
        Assert.Equal(TimeSpan.FromSeconds(2), error.Waited);
        Assert.True(error.IsTransient);
        Assert.Equal(new PoolStatistics(3, 0, 3, 0, 3, 0, 1, 3), connection.Statistics);
        Array.ForEach(held, Return);
    }

    [Fact]
    public async Task Checkout_WhenOneIsReleased_TheWaiterGetsThatSamePhysicalConnection()
    {
        using var db = new TestDatabase(Clock.Fake());
        var connection = Configure(db, new FakeDriver(), size: 3, timeoutSeconds: 30);
        var held = new[] { await Rent(connection), await Rent(connection), await Rent(connection) };
        var waiter = connection.Pool.RentAsync(async: true, CancellationToken.None).AsTask();

        Return(held[1]);
        var handed = await waiter;

        Assert.Same(held[1], handed);
        Assert.Equal(held[1].Id, handed.Id);
        Assert.Equal(3, connection.Statistics.Opened);
        Return(handed);
        Return(held[0]);
        Return(held[2]);
        Assert.Equal(new PoolStatistics(3, 3, 0, 0, 3, 0, 0, 3), connection.Statistics);
    }

    [Fact]
    public async Task Checkout_WithSubSecondTimeout_IsHonouredExactly()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        var connection = Configure(db, new FakeDriver(), size: 1, timeoutSeconds: 0.25);
        var held = await Rent(connection);

        var waiter = connection.Pool.RentAsync(async: true, CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromMilliseconds(249));
        await Task.Delay(20, TestContext.Current.CancellationToken);
        Assert.False(waiter.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var error = await Assert.ThrowsAsync<PoolTimeoutException>(() => waiter);
        Assert.Contains("250 ms", error.Message);
        Assert.Equal(1, connection.Statistics.Timeouts);
        Return(held);
    }

    [Fact]
    public async Task Checkout_OnTheRealClock_NeverTimesOutBeforeTheConfiguredWait()
    {
        using var db = new TestDatabase();
        var connection = Configure(db, new FakeDriver(), size: 1, timeoutSeconds: 0.2);
        var held = await Rent(connection);
        var watch = Stopwatch.StartNew();

        Assert.Throws<PoolTimeoutException>(() => connection.Pool.RentAsync(async: false, CancellationToken.None).GetAwaiter().GetResult());
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(200), $"timed out after {watch.Elapsed.TotalMilliseconds} ms");
        Return(held);
    }

    [Fact]
    public async Task Checkout_WithZeroTimeout_FailsAtOnceWhenExhausted()
    {
        using var db = new TestDatabase();
        var connection = Configure(db, new FakeDriver(), size: 1, timeoutSeconds: 0);
        var held = await Rent(connection);
        await Assert.ThrowsAsync<PoolTimeoutException>(() => connection.Pool.RentAsync(async: true, CancellationToken.None).AsTask());
        Assert.Equal(1, connection.Statistics.Timeouts);
        Return(held);
    }

    [Fact]
    public async Task Checkout_WhenConnectThrows_FreesTheSlotAndLaterCheckoutsDoNotHang()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver { Refuse = new FakeRefusedException("connection refused by the fake server") };
        var connection = Configure(db, driver, size: 2, timeoutSeconds: 5);

        for (var i = 0; i < 5; i++)
        {
            var error = await Assert.ThrowsAsync<ConnectionException>(() => connection.ExecuteRawAsync("SELECT 1", null, TestContext.Current.CancellationToken));
            Assert.IsNotType<PoolTimeoutException>(error);
            Assert.IsType<FakeRefusedException>(error.InnerException);
            Assert.Contains("connection refused by the fake server", error.Message);
            Assert.Contains("'pool'", error.Message);
        }

        Assert.Equal(new PoolStatistics(0, 0, 0, 0, 0, 0, 0, 2), connection.Statistics);
        driver.Refuse = null;
        Assert.Equal(1L, connection.Scalar<long>("SELECT 1"));
        Assert.Equal(1, connection.Statistics.Size);
    }

    [Fact]
    public async Task Checkout_WhenDatabaseIsDown_AllConcurrentCallersFailPromptlyAndOpenCountReturnsToZero()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver { Refuse = new FakeRefusedException("database is down") };
        var connection = Configure(db, driver, size: 2, timeoutSeconds: 30);

        var callers = Enumerable.Range(0, 6).Select(_ => Task.Run(() => connection.ExecuteRawAsync("SELECT 1"))).ToArray();
        foreach (var caller in callers)
        {
            var error = await Assert.ThrowsAnyAsync<ConnectionException>(() => caller);
            Assert.IsNotType<PoolTimeoutException>(error);
        }

        Assert.Equal(0, connection.Statistics.Size);
        Assert.Equal(0, connection.Statistics.Waiting);
        Assert.Equal(6, driver.Opens);
    }

    [Fact]
    public async Task Checkout_WhenWaiterIsCancelled_ThrowsOperationCanceledAndLeaksNothing()
    {
        using var db = new TestDatabase();
        var connection = Configure(db, new FakeDriver(), size: 1, timeoutSeconds: 30);
        var held = await Rent(connection);
        using var cancellation = new CancellationTokenSource();

        var waiter = connection.Pool.RentAsync(async: true, cancellation.Token).AsTask();
        Assert.Equal(1, connection.Statistics.Waiting);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
        Assert.Equal(0, connection.Statistics.Waiting);
        Return(held);
        Assert.Equal(new PoolStatistics(1, 1, 0, 0, 1, 0, 0, 1), connection.Statistics);
        var again = await Rent(connection);
        Assert.Same(held, again);
        Return(again);
    }

    [Fact]
    public async Task Checkout_WithAlreadyCancelledToken_ThrowsBeforeTakingAnything()
    {
        using var db = new TestDatabase();
        var connection = Configure(db, new FakeDriver(), size: 1, timeoutSeconds: 30);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connection.ExecuteRawAsync("SELECT 1", null, new CancellationToken(canceled: true)));
        Assert.Equal(new PoolStatistics(0, 0, 0, 0, 0, 0, 0, 1), connection.Statistics);
    }

    [Fact]
    public async Task Waiters_AreServedInArrivalOrder()
    {
        using var db = new TestDatabase();
        var connection = Configure(db, new FakeDriver(), size: 1, timeoutSeconds: 30);
        var held = await Rent(connection);
        var served = new ConcurrentQueue<int>();
        var waiters = new List<Task>();
        for (var i = 0; i < 8; i++)
        {
            var number = i;
            var rent = connection.Pool.RentAsync(async: true, CancellationToken.None).AsTask();
            waiters.Add(rent.ContinueWith(
                t =>
                {
                    served.Enqueue(number);
                    Return(t.Result);
                },
                TaskScheduler.Default));
            Assert.Equal(i + 1, connection.Statistics.Waiting);
        }

        Return(held);
        await Task.WhenAll(waiters);
        Assert.Equal(Enumerable.Range(0, 8), served);
    }

    [Fact]
    public async Task Recycle_HandsOutTheSameConnectionBeforeTheAgeAndAFreshOneAfter()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        var connection = Configure(db, new FakeDriver(), size: 2, timeoutSeconds: 5, recycleSeconds: 60);
        var closed = new ConcurrentQueue<ConnectionEventArgs>();
        using var subscription = db.Registry.Events.OnDisconnect(closed.Enqueue);

        var first = await Rent(connection);
        Return(first);
        // Recycle ages are jittered up to 2.5% shorter: 58 s of 60 is always before, 60 s always after.
        clock.Advance(TimeSpan.FromSeconds(58));
        var same = await Rent(connection);
        Assert.Same(first, same);
        Return(same);

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1L, connection.Scalar<long>("SELECT 1"));
        var fresh = await Rent(connection);
        Assert.NotEqual(first.Id, fresh.Id);
        Return(fresh);
        var recycled = Assert.Single(closed);
        Assert.Equal(first.Id, recycled.Id);
        Assert.Equal("recycled", recycled.Reason);
        Assert.Equal(new PoolStatistics(1, 1, 0, 0, 2, 1, 0, 2), connection.Statistics);
    }

    [Fact]
    public async Task ThrowingEventHandler_NeverCorruptsThePoolNorLeaksTheConnection()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary");
        using var a = db.Registry.Events.OnCheckout(_ => throw new InvalidOperationException("handler bug"));
        using var b = db.Registry.Events.OnCheckin(_ => throw new InvalidOperationException("handler bug"));
        using var c = db.Registry.Events.OnConnect(_ => throw new InvalidOperationException("handler bug"));
        var calls = 0;
        using var d = db.Registry.Events.OnCheckout(_ => Interlocked.Increment(ref calls));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(1L, connection.Scalar<long>("SELECT 1"));
        }

        await connection.ExecuteRawAsync("SELECT 1", null, TestContext.Current.CancellationToken);
        Assert.Equal(4, calls);
        Assert.Equal(new PoolStatistics(1, 1, 0, 0, 1, 0, 0, 5), connection.Statistics);
        Assert.Contains(db.Logs.Entries, e => e.EventId.Id == 1001 && e.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task ReturningTwice_IsDetectedAndHarmless()
    {
        using var db = new TestDatabase();
        var connection = Configure(db, new FakeDriver(), size: 2, timeoutSeconds: 5);
        var physical = await Rent(connection);
        var lease = physical.Lease;

        physical.Pool.Return(physical, lease);
        physical.Pool.Return(physical, lease);
        Assert.Equal(new PoolStatistics(1, 1, 0, 0, 1, 0, 0, 2), connection.Statistics);

        // The same physical connection taken by someone else: a stale return must not take it away from them.
        var again = await Rent(connection);
        Assert.Same(physical, again);
        physical.Pool.Return(physical, lease);
        Assert.Equal(new PoolStatistics(1, 0, 1, 0, 1, 0, 0, 2), connection.Statistics);
        Return(again);
        Assert.Equal(2, db.Logs.Entries.Count(e => e.EventId.Id == 1002));
    }

    [Fact]
    public async Task Dispose_ClosesIdleAtOnceClosesInUseWhenReturnedAndLetsTheNameBeConfiguredAgain()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        var connection = Configure(db, driver, size: 3, timeoutSeconds: 30);
        var disconnects = new ConcurrentQueue<ConnectionEventArgs>();
        using var subscription = db.Registry.Events.OnDisconnect(disconnects.Enqueue);
        var idle = await Rent(connection);
        var held = await Rent(connection);
        Return(idle);

        Assert.True(db.Registry.Dispose("pool"));

        Assert.Equal(idle.Id, Assert.Single(disconnects).Id);
        Assert.Equal("disposed", disconnects.Single().Reason);
        Assert.False(db.Registry.IsConfigured("pool"));
        Return(held);
        Assert.Equal(2, disconnects.Count);
        Assert.Equal(new PoolStatistics(0, 0, 0, 0, 2, 2, 0, 3), connection.Statistics);

        var stale = Assert.Throws<ConnectionException>(() => connection.ExecuteRaw("SELECT 1"));
        Assert.Contains("disposed", stale.Message);
        Assert.Contains("Configure", stale.Message);

        var renewed = db.Registry.Configure("pool", new ConnectionConfig { Driver = driver.Name, Database = "fake" });
        Assert.Equal(1L, renewed.Scalar<long>("SELECT 1"));
        Assert.NotEqual(0, renewed.Statistics.Opened);
    }

    [Fact]
    public async Task Dispose_FailsWaitersClearly()
    {
        using var db = new TestDatabase();
        var connection = Configure(db, new FakeDriver(), size: 1, timeoutSeconds: 30);
        var held = await Rent(connection);
        var waiter = connection.Pool.RentAsync(async: true, CancellationToken.None).AsTask();

        await db.Registry.DisposeAsync("pool");

        var error = await Assert.ThrowsAsync<ConnectionException>(() => waiter);
        Assert.Contains("disposed", error.Message);
        Return(held);
        Assert.Equal(0, connection.Statistics.Size);
    }

    [Fact]
    public void Statistics_AreExactAfterEveryStepAndZeroAfterDispose()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("stats", poolSize: 3);
        Assert.Equal(new PoolStatistics(0, 0, 0, 0, 0, 0, 0, 3), connection.Statistics);

        connection.Execute("CREATE TABLE t (x INTEGER)");
        Assert.Equal(new PoolStatistics(1, 1, 0, 0, 1, 0, 0, 3), connection.Statistics);

        using (var transaction = new Transaction(connection))
        {
            Assert.Equal(new PoolStatistics(1, 1, 0, 0, 1, 0, 0, 3), connection.Statistics);
            connection.Execute("INSERT INTO t VALUES (1)");
            Assert.Equal(new PoolStatistics(1, 0, 1, 0, 1, 0, 0, 3), connection.Statistics);
            transaction.Commit();
            Assert.Equal(new PoolStatistics(1, 1, 0, 0, 1, 0, 0, 3), connection.Statistics);
        }

        db.Registry.InitializeAll();
        Assert.Equal(new PoolStatistics(1, 1, 0, 0, 1, 0, 0, 3), connection.Statistics);
        db.Registry.Dispose("stats");
        Assert.Equal(new PoolStatistics(0, 0, 0, 0, 1, 1, 0, 3), connection.Statistics);
    }

    [Fact]
    public async Task PoolSizeFour_Under64ConcurrentWorkers_NeverOpensMoreThanFourPhysicalConnections()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("bounded", poolSize: 4, poolTimeoutSeconds: 60);
        connection.Execute("CREATE TABLE work (worker INTEGER, step INTEGER)");
        var open = 0;
        var peak = 0;
        var connects = 0;
        using var onConnect = db.Registry.Events.OnConnect(_ =>
        {
            Interlocked.Increment(ref connects);
            var now = Interlocked.Increment(ref open);
            int seen;
            while (now > (seen = Volatile.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, seen) != seen)
            {
            }
        });
        using var onDisconnect = db.Registry.Events.OnDisconnect(_ => Interlocked.Decrement(ref open));
        open = peak = connection.Statistics.Size;

        // Each worker holds a connection across an await, so the workers really contend for the four.
        var workers = Enumerable.Range(0, 64).Select(worker => Task.Run(async () =>
        {
            for (var step = 0; step < 10; step++)
            {
                await connection.ExecuteAsync("INSERT INTO work VALUES (@worker, @step)", new { worker, step });
                var held = await Rent(connection);
                await Task.Delay(1);
                Return(held);
            }
        }));
        await Task.WhenAll(workers);

        Assert.Equal(4, peak);
        Assert.Equal(3, connects);
        Assert.Equal(640L, connection.Scalar<long>("SELECT COUNT(*) FROM work"));
        var statistics = connection.Statistics;
        Assert.Equal(0, statistics.InUse);
        Assert.Equal(0, statistics.Waiting);
        Assert.InRange(statistics.Size, 1, 4);
    }

    [Fact]
    public void NothingConnects_BeforeFirstUse_UnlessInitializeAll()
    {
        using var db = new TestDatabase();
        var a = db.Sqlite("a");
        var b = db.Sqlite("b");
        Assert.Equal(0, a.Statistics.Opened);
        Assert.Equal(0, b.Statistics.Opened);
        Assert.False(File.Exists(db.File("a.db")));

        db.Registry.InitializeAll();

        Assert.Equal(1, a.Statistics.Opened);
        Assert.Equal(1, b.Statistics.Idle);
        Assert.True(File.Exists(db.File("a.db")));
    }

    [Fact]
    public async Task Events_CarryUniqueIdsAndTheConnectionNameAndStopWhenUnsubscribed()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("events", poolSize: 2);
        var seen = new ConcurrentQueue<ConnectionEventArgs>();
        var subscriptions = new[]
        {
            db.Registry.Events.OnConnect(seen.Enqueue),
            db.Registry.Events.OnCheckout(seen.Enqueue),
            db.Registry.Events.OnCheckin(seen.Enqueue),
            db.Registry.Events.OnDisconnect(seen.Enqueue),
        };
        var first = await Rent(connection);
        var second = await Rent(connection);
        Return(first);
        Return(second);
        db.Registry.Dispose("events");

        Assert.Equal(
            [ConnectionEventKind.Connect, ConnectionEventKind.Checkout, ConnectionEventKind.Connect, ConnectionEventKind.Checkout,
             ConnectionEventKind.Checkin, ConnectionEventKind.Checkin, ConnectionEventKind.Disconnect, ConnectionEventKind.Disconnect],
            seen.Select(e => e.Kind));
        Assert.All(seen, e => Assert.Equal("events", e.ConnectionName));
        Assert.All(seen, e => Assert.Equal("sqlite", e.Driver));
        Assert.Equal(2, seen.Select(e => e.Id).Distinct().Count());
        Assert.NotEqual(first.Id, second.Id);

        foreach (var subscription in subscriptions)
        {
            subscription.Dispose();
        }

        var count = seen.Count;
        var again = db.Sqlite("events");
        again.Execute("SELECT 1");
        Assert.Equal(count, seen.Count);
    }

    [Fact]
    public void ReturnedConnection_WithAnOpenTransaction_IsRolledBackBeforeReuse()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("reset", poolSize: 1);
        connection.Execute("CREATE TABLE t (x INTEGER)");

        var transaction = new Transaction(connection);
        connection.Execute("INSERT INTO t VALUES (1)");
        transaction.Dispose();

        Assert.Equal(0L, connection.Scalar<long>("SELECT COUNT(*) FROM t"));
        Assert.Equal(1, connection.Statistics.Opened);
    }
}
