using System.Collections.Concurrent;
using Switchboard.Pooling;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Pooling;

/// <summary>README claims of the pool that had no test: recycle jitter, the sync path of a wait that succeeds, and a lost connection that only the driver's error reports.</summary>
public class PoolClaimsTests
{
    private const int Many = 20;

    private static Connection Configure(TestDatabase db, FakeDriver driver, Dictionary<string, object?> options)
    {
        db.Registry.RegisterDriver(driver);
        var settings = new Dictionary<string, object?> { ["driver"] = driver.Name, ["database"] = "fake", ["pool_timeout"] = 30 };
        foreach (var (key, value) in options)
        {
            settings[key] = value;
        }

        return db.Registry.Configure("pool", settings);
    }

    private static async Task<PooledConnection> Rent(Connection connection) => await connection.Pool.RentAsync(async: true, CancellationToken.None);

    private static void Return(PooledConnection physical) => physical.Pool.Return(physical, physical.Lease);

    [Fact]
    public async Task Recycle_ConnectionsOpenedTogether_ExpireSpreadOverTheLast2Point5PercentOfTheirAge()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        var connection = Configure(db, new FakeDriver(), new() { ["pool_size"] = Many, ["pool_recycle"] = 40, ["pool_pre_ping"] = "never", ["idle_timeout"] = -1 });
        var held = new List<PooledConnection>();
        for (var i = 0; i < Many; i++)
        {
            held.Add(await Rent(connection));
        }

        held.ForEach(Return);
        var ages = held.Select(c => TimeSpan.FromSeconds((c.ExpiresAt - c.CreatedAt) / (double)clock.TimestampFrequency)).ToList();
        Assert.All(ages, age => Assert.InRange(age, TimeSpan.FromSeconds(39), TimeSpan.FromSeconds(40)));
        Assert.True(ages.Max() - ages.Min() > TimeSpan.FromSeconds(0.25), $"recycle ages spread over only {(ages.Max() - ages.Min()).TotalMilliseconds:0.###} ms");

        // As the pool sees it: none is due before 97.5% of the age, some are halfway through the jitter, all are at the age.
        clock.Advance(TimeSpan.FromSeconds(38.9));
        connection.Pool.Maintain();
        Assert.Equal(0, connection.Statistics.Closed);

        clock.Advance(TimeSpan.FromSeconds(0.6));
        connection.Pool.Maintain();
        Assert.InRange(connection.Statistics.Closed, 1, Many - 1);

        clock.Advance(TimeSpan.FromSeconds(0.5));
        connection.Pool.Maintain();
        Assert.Equal(Many, connection.Statistics.Closed);
        Assert.Equal(0, connection.Statistics.Size);
    }

    [Fact]
    public async Task Checkout_OnTheSyncPath_WaitsForAConnectionAndGetsTheOneGivenBack()
    {
        using var db = new TestDatabase(Clock.Fake());
        var connection = Configure(db, new FakeDriver(), new() { ["pool_size"] = 1 });
        var held = await Rent(connection);

        // A thread of its own: the sync path blocks it while it waits.
        PooledConnection? handed = null;
        var waiter = new Thread(() => handed = connection.Pool.RentAsync(async: false, CancellationToken.None).GetAwaiter().GetResult());
        waiter.Start();
        await WaitUntil(() => connection.Statistics.Waiting == 1);
        Assert.True(waiter.IsAlive);

        Return(held);
        Assert.True(waiter.Join(TimeSpan.FromSeconds(10)), "the sync waiter was not served when a connection came back");
        Assert.Same(held, handed);
        Return(handed!);
        Assert.Equal(new PoolStatistics(1, 1, 0, 0, 1, 0, 0, 1), connection.Statistics);
    }

    [Fact]
    public async Task Statement_OnTheSyncPath_WaitsForTheConnectionInUse_ThenRunsOnIt()
    {
        using var db = new TestDatabase(Clock.Fake());
        var connection = Configure(db, new FakeDriver(), new() { ["pool_size"] = 1 });
        var held = await Rent(connection);

        var statement = Task.Factory.StartNew(() => connection.Scalar<long>("SELECT 41 + 1"), TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await WaitUntil(() => connection.Statistics.Waiting == 1);
        Assert.False(statement.IsCompleted);

        Return(held);
        Assert.Equal(42L, await statement);
        Assert.Equal(new PoolStatistics(1, 1, 0, 0, 1, 0, 0, 1), connection.Statistics);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DriverDetectedDisconnect_WithTheConnectionStillOpen_IsTransient_DiscardsItAndOlderIdleOnes_AndTheNextWorks(bool async)
    {
        using var db = new TestDatabase(Clock.Fake());
        var driver = new FakeDriver();
        var connection = Configure(db, driver, new() { ["pool_size"] = 3, ["pool_pre_ping"] = "never" });
        var invalidated = new ConcurrentQueue<ConnectionEventArgs>();
        using var subscription = db.Registry.Events.OnInvalidate(invalidated.Enqueue);
        var held = new[] { await Rent(connection), await Rent(connection), await Rent(connection) };
        Array.ForEach(held, Return);

        driver.DisconnectNextStatement = true;
        var error = async
            ? await Assert.ThrowsAsync<ConnectionException>(() => connection.ScalarAsync<long>("SELECT 1", null, TestContext.Current.CancellationToken))
            : Assert.Throws<ConnectionException>(() => connection.Scalar<long>("SELECT 1"));

        Assert.True(error.IsTransient);
        Assert.IsType<FakeDisconnectException>(error.InnerException);
        Assert.Contains("was lost while running a statement", error.Message);
        Assert.Equal(held[2].Id, Assert.Single(invalidated).Id); // the newest, handed out first (LIFO)
        Assert.Equal(new PoolStatistics(0, 0, 0, 0, 3, 3, 0, 3), connection.Statistics);

        Assert.Equal(1L, async ? await connection.ScalarAsync<long>("SELECT 1", null, TestContext.Current.CancellationToken) : connection.Scalar<long>("SELECT 1"));
        Assert.Equal(4, connection.Statistics.Opened);
    }

    [Fact]
    public void AnOrdinaryStatementError_OnTheSameDriver_KeepsTheConnection()
    {
        using var db = new TestDatabase(Clock.Fake());
        var connection = Configure(db, new FakeDriver(), new() { ["pool_size"] = 3, ["pool_pre_ping"] = "never" });

        var error = Assert.Throws<StatementException>(() => connection.Execute("SELEC 1"));

        Assert.IsNotType<ConnectionException>(error);
        Assert.False(error.IsTransient);
        Assert.Equal(new PoolStatistics(1, 1, 0, 0, 1, 0, 0, 3), connection.Statistics);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(condition(), "the condition never became true within 10 s");
    }
}
