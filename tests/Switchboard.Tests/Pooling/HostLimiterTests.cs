using Switchboard.Pooling;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Pooling;

public sealed class HostLimiterTests
{
    [Fact]
    public async Task ACheckoutOverTheHostCap_WaitsLikeAPoolWait_AndTimesOutNamingTheCap()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        db.Registry.MaxConnectionsPerHost = 2;
        var driver = new FakeDriver { ActsAsServer = true };
        var a = Configure(db, driver, "a");
        var b = Configure(db, driver, "b");
        var held = new[] { await Rent(a), await Rent(a) };

        var waiting = Rent(b);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(4.9));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.1));

        var error = await Assert.ThrowsAsync<PoolTimeoutException>(() => waiting).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Contains("MaxConnectionsPerHost (2)", error.Message, StringComparison.Ordinal);
        Assert.Contains("db.example:5432", error.Message, StringComparison.Ordinal);
        Assert.Equal("b", error.ConnectionName);
        Assert.Equal(0, b.Statistics.Size);
        Assert.Equal(1, b.Statistics.Timeouts);
        Array.ForEach(held, Return);
    }

    [Fact]
    public async Task AnIdleConnectionOfAnotherPool_IsClosedToMakeRoom_ForAWaiter()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        db.Registry.MaxConnectionsPerHost = 1;
        var driver = new FakeDriver { ActsAsServer = true };
        var a = Configure(db, driver, "a");
        var b = Configure(db, driver, "b");

        var first = await Rent(a);
        var waiting = Rent(b);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);

        Return(first); // goes idle in a, where nobody wants it: closed, and b's caller opens its own
        var second = await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(0, a.Statistics.Size);
        Assert.Equal(1, b.Statistics.InUse);
        Return(second);
    }

    [Fact]
    public async Task WaitersAcrossPools_AreServedInArrivalOrder()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        db.Registry.MaxConnectionsPerHost = 1;
        var driver = new FakeDriver { ActsAsServer = true };
        var pools = new[] { Configure(db, driver, "p0"), Configure(db, driver, "p1"), Configure(db, driver, "p2"), Configure(db, driver, "p3") };
        var holder = await Rent(pools[0]);

        var served = new List<string>();
        var waiters = new List<Task>();
        foreach (var pool in new[] { pools[3], pools[1], pools[2] })
        {
            waiters.Add(Task.Run(async () =>
            {
                var physical = await Rent(pool);
                lock (served)
                {
                    served.Add(pool.Name);
                }

                Return(physical);
            }));
            await WaitFor(() => db.Registry.HostLimiterFor(pool.Config)!.HasWaiters && Waiting(db, pool) == served.Count + waiters.Count);
        }

        Return(holder);
        await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(["p3", "p1", "p2"], served);
    }

    private static int Waiting(TestDatabase db, Connection pool) => WaitingCount(db.Registry.HostLimiterFor(pool.Config)!);

    private static int WaitingCount(HostLimiter limiter) => limiter.Waiting;

    private static Connection Configure(TestDatabase db, FakeDriver driver, string name)
    {
        db.Registry.RegisterDriver(driver);
        return db.Registry.Configure(name, new Dictionary<string, object?>
        {
            ["driver"] = driver.Name,
            ["database"] = name,
            ["host"] = "db.example",
            ["port"] = 5432,
            ["pool_size"] = 3,
            ["pool_timeout"] = 5,
        });
    }

    private static async Task<PooledConnection> Rent(Connection connection) => await connection.Pool.RentAsync(async: true, CancellationToken.None);

    private static void Return(PooledConnection physical) => physical.Pool.Return(physical, physical.Lease);

    private static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
