using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Switchboard.Pooling;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Pooling;

/// <summary>docs/RELIABILITY.md items 3, 6, 11–15, 21, 22 and the pool's options, on the fake driver and a fake clock (19 needs a server that can run a long statement: see the integration suite).</summary>
public class PoolHardeningTests
{
    private static Connection Configure(TestDatabase db, FakeDriver driver, Dictionary<string, object?>? options = null, string name = "pool")
    {
        db.Registry.RegisterDriver(driver);
        var settings = new Dictionary<string, object?> { ["driver"] = driver.Name, ["database"] = "fake", ["pool_size"] = 3, ["pool_timeout"] = 5 };
        foreach (var (key, value) in options ?? [])
        {
            settings[key] = value;
        }

        return db.Registry.Configure(name, settings);
    }

    private static async Task<PooledConnection> Rent(Connection connection) => await connection.Pool.RentAsync(async: true, CancellationToken.None);

    private static void Return(PooledConnection physical) => physical.Pool.Return(physical, physical.Lease);

    [Fact]
    public async Task TenCallersOnAPoolOfTwoWithSlowConnects_NoTimeoutFiresEarly()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver { BeforeOpen = ct => Task.Delay(100, ct) };
        var connection = Configure(db, driver, new() { ["pool_size"] = 2, ["pool_timeout"] = 10 });

        var callers = Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            var physical = await Rent(connection);
            await Task.Delay(20);
            Return(physical);
        }));
        await Task.WhenAll(callers);

        Assert.Equal(0, connection.Statistics.Timeouts);
        Assert.Equal(2, driver.Opens);
    }

    [Fact]
    public async Task AHangingConnect_DoesNotBlockCheckoutsOfIdleConnections()
    {
        using var db = new TestDatabase();
        var gate = new TaskCompletionSource();
        var driver = new FakeDriver();
        var connection = Configure(db, driver, new() { ["pool_size"] = 3 });
        var a = await Rent(connection);
        var b = await Rent(connection);

        driver.BeforeOpen = _ => gate.Task;
        var hanging = Task.Run(() => Rent(connection));
        await WaitFor(() => driver.Opens == 3);
        Return(a);

        var idle = await Rent(connection).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Same(a, idle);
        Assert.False(hanging.IsCompleted);

        gate.SetResult();
        Return(await hanging);
        Return(idle);
        Return(b);
        Assert.Equal(new PoolStatistics(3, 3, 0, 0, 3, 0, 0, 3), connection.Statistics);
    }

    [Fact]
    public async Task IdleConnections_PastTheIdleTimeout_AreClosed_DownToMinIdle()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        var closed = new ConcurrentQueue<ConnectionEventArgs>();
        using var subscription = db.Registry.Events.OnDisconnect(closed.Enqueue);
        var connection = Configure(db, new FakeDriver(), new() { ["pool_size"] = 4, ["idle_timeout"] = 60, ["min_idle"] = 1, ["pool_recycle"] = -1 });
        var held = new[] { await Rent(connection), await Rent(connection), await Rent(connection) };
        Array.ForEach(held, Return);
        Assert.Equal(3, connection.Statistics.Idle);

        clock.Advance(TimeSpan.FromSeconds(59));
        connection.Pool.Maintain();
        Assert.Equal(3, connection.Statistics.Idle);

        clock.Advance(TimeSpan.FromSeconds(1));
        connection.Pool.Maintain();
        Assert.Equal(new PoolStatistics(1, 1, 0, 0, 3, 2, 0, 4), connection.Statistics);
        Assert.All(closed, e => Assert.Equal("idle", e.Reason));
    }

    [Fact]
    public async Task MinIdle_IsOpenedInTheBackgroundAndRefilled()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        var connection = Configure(db, new FakeDriver(), new() { ["pool_size"] = 4, ["min_idle"] = 2 });
        db.Registry.InitializeAll();
        await WaitFor(() => connection.Statistics.Idle == 2);
        Assert.Equal(2, connection.Statistics.Opened);

        // A lost connection takes the older idle one with it; maintenance opens two fresh ones.
        var physical = await Rent(connection);
        physical.MarkDisconnected();
        Return(physical);
        Assert.Equal(0, connection.Statistics.Size);
        connection.Pool.Maintain();
        await WaitFor(() => connection.Statistics.Idle == 2);
        Assert.Equal(4, connection.Statistics.Opened);
    }

    [Fact]
    public async Task ABackgroundFill_ThatFinishesAfterDispose_ClosesItsConnection()
    {
        using var db = new TestDatabase();
        var gate = new TaskCompletionSource();
        var driver = new FakeDriver { BeforeOpen = _ => gate.Task };
        var connection = Configure(db, driver, new() { ["pool_size"] = 2, ["min_idle"] = 1 });
        var closed = new ConcurrentQueue<ConnectionEventArgs>();
        using var subscription = db.Registry.Events.OnDisconnect(closed.Enqueue);

        connection.Pool.Maintain();
        await WaitFor(() => driver.Opens == 1);
        db.Registry.Dispose("pool");
        gate.SetResult();

        await WaitFor(() => !closed.IsEmpty);
        Assert.Equal("disposed", Assert.Single(closed).Reason);
        Assert.Equal(0, connection.Statistics.Size);
        Assert.DoesNotContain(db.Logs.Entries, e => e.EventId.Id == 1002);
    }

    [Theory]
    [InlineData("lifo")]
    [InlineData("fifo")]
    public async Task CheckoutOrder_IsExactlyAsConfigured(string order)
    {
        using var db = new TestDatabase();
        var connection = Configure(db, new FakeDriver(), new() { ["pool_size"] = 3, ["checkout_order"] = order });
        var first = await Rent(connection);
        var second = await Rent(connection);
        var third = await Rent(connection);
        Return(first);
        Return(second);
        Return(third);

        var taken = new[] { await Rent(connection), await Rent(connection), await Rent(connection) };
        var expected = order == "lifo" ? new[] { third, second, first } : [first, second, third];
        Assert.Equal(expected.Select(c => c.Id), taken.Select(c => c.Id));
        Array.ForEach(taken, Return);
    }

    [Fact]
    public async Task KilledConnection_IsDetectedAtCheckoutAfterTheIdleWindow_AndReplacedSilently()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        var driver = new FakeDriver();
        var connection = Configure(db, driver, new() { ["pool_pre_ping"] = "idle", ["pool_pre_ping_window"] = 0.5 });
        var invalidated = new ConcurrentQueue<ConnectionEventArgs>();
        using var subscription = db.Registry.Events.OnInvalidate(invalidated.Enqueue);
        var first = await Rent(connection);
        Return(first);

        driver.KillAll();
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1L, await connection.ScalarAsync<long>("SELECT 1", null, TestContext.Current.CancellationToken));
        Assert.Equal(2, connection.Statistics.Opened);
        Assert.Equal(first.Id, Assert.Single(invalidated).Id);
        Assert.Equal("failed pre-ping", invalidated.Single().Reason);
    }

    [Fact]
    public async Task WithinTheIdleWindow_NoPingIsSpent()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        var driver = new FakeDriver();
        var connection = Configure(db, driver, new() { ["pool_pre_ping"] = "idle", ["pool_pre_ping_window"] = 0.5 });
        Return(await Rent(connection));
        driver.KillAll();
        clock.Advance(TimeSpan.FromMilliseconds(400));

        // Not pinged: the dead connection is handed out and the first statement finds out.
        var error = await Assert.ThrowsAsync<ConnectionException>(() => connection.ExecuteAsync("SELECT 1", null, TestContext.Current.CancellationToken));
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task ServerRestart_WithValidation_NextCheckoutSucceeds()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        var driver = new FakeDriver();
        var connection = Configure(db, driver, new() { ["pool_pre_ping"] = "always" });
        var held = new[] { await Rent(connection), await Rent(connection), await Rent(connection) };
        Array.ForEach(held, Return);

        driver.KillAll();

        Assert.Equal(1L, await connection.ScalarAsync<long>("SELECT 1", null, TestContext.Current.CancellationToken));
        Assert.Equal(1, connection.Statistics.Size);
        Assert.Equal(4, connection.Statistics.Opened);
    }

    [Fact]
    public async Task ServerRestart_WithoutValidation_FirstStatementFailsTransient_OlderIdleAreDiscarded_NextWorks()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        var connection = Configure(db, driver, new() { ["pool_pre_ping"] = "never" });
        var invalidated = new ConcurrentQueue<ConnectionEventArgs>();
        using var subscription = db.Registry.Events.OnInvalidate(invalidated.Enqueue);
        var held = new[] { await Rent(connection), await Rent(connection), await Rent(connection) };
        Array.ForEach(held, Return);
        driver.KillAll();

        var error = await Assert.ThrowsAsync<ConnectionException>(() => connection.ExecuteAsync("SELECT 1", null, TestContext.Current.CancellationToken));
        Assert.True(error.IsTransient);
        Assert.Single(invalidated);
        Assert.Equal(new PoolStatistics(0, 0, 0, 0, 3, 3, 0, 3), connection.Statistics);

        Assert.Equal(1L, await connection.ScalarAsync<long>("SELECT 1", null, TestContext.Current.CancellationToken));
        Assert.Equal(4, connection.Statistics.Opened);
    }

    [Fact]
    public async Task DisconnectInsideATransaction_IsNotRetried_FailsClearly_AndCommittedDataIsIntact()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        var connection = Configure(db, driver, new() { ["pool_pre_ping"] = "never" });
        connection.Execute("CREATE TABLE t (x INTEGER)");
        connection.Execute("INSERT INTO t VALUES (1)");

        var transaction = new Transaction(connection);
        connection.Execute("INSERT INTO t VALUES (2)");
        driver.KillAll();
        var error = Assert.Throws<ConnectionException>(() => connection.Execute("INSERT INTO t VALUES (3)"));
        Assert.Contains("inside a transaction", error.Message);
        Assert.Contains("nothing was retried", error.Message);
        transaction.Dispose();

        Assert.Equal(1L, await connection.ScalarAsync<long>("SELECT COUNT(*) FROM t", null, TestContext.Current.CancellationToken));
        Assert.Equal(0, connection.Statistics.InUse);
    }

    [Fact]
    public async Task AfterDisposeAndReconfigure_NoConnectionOfTheOldGenerationIsHandedOut()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        var old = Configure(db, driver, new() { ["pool_size"] = 2 });
        var oldIds = new HashSet<long>();
        var held = await Rent(old);
        oldIds.Add(held.Id);
        Return(await Rent(old).ContinueWith(t => { oldIds.Add(t.Result.Id); return t.Result; }, TaskScheduler.Default));

        db.Registry.Dispose("pool");
        var renewed = db.Registry.Configure("pool", new ConnectionConfig { Driver = driver.Name, Database = "fake", PoolSize = 2 });
        Return(held);

        for (var i = 0; i < 5; i++)
        {
            var physical = await Rent(renewed);
            Assert.DoesNotContain(physical.Id, oldIds);
            Return(physical);
        }

        Assert.Equal(0, old.Statistics.Size);
    }

    [Fact]
    public async Task AConnectionHeldPastTheLeakThreshold_IsReportedWithTheStackThatTookIt()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        var connection = Configure(db, new FakeDriver(), new() { ["leak_detection_threshold"] = 2 });
        var physical = await TakeForTooLong(connection);

        clock.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.DoesNotContain(db.Logs.Entries, e => e.EventId.Id == 1005);
        clock.Advance(TimeSpan.FromMilliseconds(1));

        var leak = Assert.Single(db.Logs.Entries, e => e.EventId.Id == 1005);
        Assert.Contains(nameof(TakeForTooLong), leak.Message);
        Assert.Contains("'pool'", leak.Message);
        Return(physical);
        Assert.Single(db.Logs.Entries, e => e.EventId.Id == 1006);
    }

    [Fact]
    public async Task AConnectionGivenBackInTime_IsNotReportedAsALeak()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        var connection = Configure(db, new FakeDriver(), new() { ["leak_detection_threshold"] = 2 });
        Return(await Rent(connection));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(db.Logs.Entries, e => e.EventId.Id is 1005 or 1006);
    }

    [Fact]
    public async Task AStaleSecondReturn_LeavesTheNewHoldersLeakDetectionAndUseTimeAlone()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        var name = "stale-return-" + Guid.NewGuid().ToString("N");
        var connection = Configure(db, new FakeDriver(), new() { ["leak_detection_threshold"] = 2, ["pool_size"] = 1 }, name);
        var useTimes = new ConcurrentQueue<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Switchboard" && instrument.Name == "db.client.connection.use_time")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Value as string == name)
                {
                    useTimes.Enqueue(value);
                }
            }
        });
        listener.Start();

        var first = await Rent(connection);
        var staleLease = first.Lease;
        Return(first);
        var useTimesBefore = useTimes.Count;

        // The same physical connection, now someone else's; a late second return of the old lease arrives.
        var second = await TakeForTooLong(connection);
        Assert.Same(first, second);
        first.Pool.Return(first, staleLease);
        Assert.Equal(useTimesBefore, useTimes.Count);

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Single(db.Logs.Entries, e => e.EventId.Id == 1005);
        Return(second);
        Assert.Equal(useTimesBefore + 1, useTimes.Count);
    }

    [Fact]
    public async Task InitCommand_RunsOnceOnEachNewPhysicalConnection()
    {
        using var db = new TestDatabase();
        var connection = db.Registry.Configure("init", new Dictionary<string, object?>
        {
            ["driver"] = "sqlite",
            ["database"] = db.File("init.db"),
            ["init_command"] = "PRAGMA user_version = 7",
            ["pool_size"] = 2,
        });
        var a = await Rent(connection);
        var b = await Rent(connection);
        foreach (var physical in new[] { a, b })
        {
            using var command = physical.Db.CreateCommand();
            command.CommandText = "PRAGMA user_version";
            Assert.Equal(7L, command.ExecuteScalar());
        }

        Return(a);
        Return(b);
    }

    [Fact]
    public void FailingInitCommand_FailsTheConnectAndFreesTheSlot()
    {
        using var db = new TestDatabase();
        var connection = db.Registry.Configure("init", new Dictionary<string, object?>
        {
            ["driver"] = "sqlite",
            ["database"] = db.File("init.db"),
            ["init_command"] = "THIS IS NOT SQL",
        });
        var error = Assert.Throws<ConnectionException>(() => connection.Execute("SELECT 1"));
        Assert.Contains("Could not open a connection for 'init'", error.Message);
        Assert.Equal(0, connection.Statistics.Size);
    }

    [Fact]
    public async Task GracefulDispose_WaitsForConnectionsInUse_ThenForcesTheRest()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        var returned = Configure(db, driver, name: "returned");
        var held = await Rent(returned);
        var dispose = db.Registry.DisposeAsync("returned", TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(dispose.IsCompleted);
        Return(held);
        Assert.True(await dispose);

        var stuck = Configure(db, driver, name: "stuck");
        var forever = await Rent(stuck);
        Assert.False(await db.Registry.DisposeAsync("stuck", TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken));
        Assert.Equal(0, stuck.Statistics.Size);
        Assert.Contains(db.Logs.Entries, e => e.EventId.Id == 1008);
        Return(forever);
        Assert.DoesNotContain(db.Logs.Entries, e => e.EventId.Id == 1002);
    }

    [Fact]
    public async Task Metrics_ReportTheOpenTelemetryPoolInstrumentsTaggedWithThePoolName()
    {
        using var db = new TestDatabase();
        var name = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        var connection = db.Sqlite(name, poolSize: 2, poolTimeoutSeconds: 0.05);
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SwitchboardDiagnostics.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        {
            var map = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                map[tag.Key] = tag.Value;
            }

            if (Equals(map.GetValueOrDefault(SwitchboardDiagnostics.PoolNameTag), name))
            {
                measurements.Enqueue((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), map));
            }
        }

        listener.SetMeasurementEventCallback<long>(Record);
        listener.SetMeasurementEventCallback<double>(Record);
        listener.Start();

        connection.Execute("SELECT 1");
        var a = await Rent(connection);
        var b = await Rent(connection);
        await Assert.ThrowsAsync<PoolTimeoutException>(() => connection.Pool.RentAsync(async: true, CancellationToken.None).AsTask());
        listener.RecordObservableInstruments();
        Return(a);
        Return(b);

        var names = measurements.Select(m => m.Instrument).ToHashSet();
        Assert.Contains(SwitchboardDiagnostics.CreateTime, names);
        Assert.Contains(SwitchboardDiagnostics.WaitTime, names);
        Assert.Contains(SwitchboardDiagnostics.UseTime, names);
        Assert.Contains(SwitchboardDiagnostics.Timeouts, names);
        Assert.Equal(2, measurements.Single(m => m.Instrument == SwitchboardDiagnostics.ConnectionMax).Value);
        Assert.Equal(2, measurements.Single(m => m.Instrument == SwitchboardDiagnostics.ConnectionCount && (string?)m.Tags[SwitchboardDiagnostics.StateTag] == "used").Value);
        Assert.Equal(0, measurements.Single(m => m.Instrument == SwitchboardDiagnostics.ConnectionCount && (string?)m.Tags[SwitchboardDiagnostics.StateTag] == "idle").Value);
        Assert.Equal(1, measurements.Where(m => m.Instrument == SwitchboardDiagnostics.Timeouts).Sum(m => m.Value));
    }

    [Fact]
    public async Task CheckHealth_ReportsEachConnectionWithStatusLatencyAndError()
    {
        using var db = new TestDatabase();
        db.Sqlite("fine");
        var down = new FakeDriver("down-health") { Refuse = new FakeRefusedException("connection refused") };
        Configure(db, down, name: "down");
        var busy = Configure(db, new FakeDriver("busy-health"), new() { ["pool_size"] = 1 }, name: "busy");
        var held = await Rent(busy);

        var report = await db.Registry.CheckHealthAsync(TestContext.Current.CancellationToken);
        Return(held);

        Assert.Equal(["busy", "down", "fine"], report.Select(r => r.Name));
        Assert.Equal(HealthStatus.Degraded, report[0].Status);
        Assert.Equal(HealthStatus.Unhealthy, report[1].Status);
        Assert.Contains("connection refused", report[1].Error);
        Assert.Equal(HealthStatus.Healthy, report[2].Status);
        Assert.Null(report[2].Error);
        Assert.True(report[2].Latency > TimeSpan.Zero);
        Assert.Equal(HealthStatus.Healthy, db.Registry.CheckHealth().Single(r => r.Name == "busy").Status);
    }

    private static async Task<PooledConnection> TakeForTooLong(Connection connection) => await Rent(connection);

    private static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
