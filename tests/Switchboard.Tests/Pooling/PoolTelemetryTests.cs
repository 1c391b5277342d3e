using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Switchboard.Pooling;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Pooling;

/// <summary>One telemetry object per pool: metrics tagged so that registries stay apart, and close reasons as values.</summary>
public class PoolTelemetryTests
{
    private static async Task<PooledConnection> Rent(Connection connection) => await connection.Pool.RentAsync(async: true, CancellationToken.None);

    private static void Return(PooledConnection physical) => physical.Pool.Return(physical, physical.Lease);

    [Fact]
    public async Task Metrics_TwoRegistriesEachWithAConnectionNamedPrimary_ReportApartByRegistryId()
    {
        using var first = new TestDatabase();
        using var second = new TestDatabase();
        Assert.NotEqual(first.Registry.Id, second.Registry.Id);
        var busy = first.Sqlite("primary", poolSize: 3, poolTimeoutSeconds: 0.05);
        var quiet = second.Sqlite("primary", poolSize: 7, poolTimeoutSeconds: 0.05);
        var registries = new HashSet<object?> { first.Registry.Id, second.Registry.Id };
        var measurements = new ConcurrentQueue<(string Instrument, long Value, object? Registry, object? State)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SwitchboardDiagnostics.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var map = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                map[tag.Key] = tag.Value;
            }

            var registry = map.GetValueOrDefault(SwitchboardDiagnostics.RegistryIdTag);
            if (Equals(map.GetValueOrDefault(SwitchboardDiagnostics.PoolNameTag), "primary") && registries.Contains(registry))
            {
                measurements.Enqueue((instrument.Name, value, registry, map.GetValueOrDefault(SwitchboardDiagnostics.StateTag)));
            }
        });
        listener.Start();

        var held = new[] { await Rent(busy), await Rent(busy), await Rent(busy) };
        await Assert.ThrowsAsync<PoolTimeoutException>(() => busy.Pool.RentAsync(async: true, CancellationToken.None).AsTask());
        Return(await Rent(quiet));
        listener.RecordObservableInstruments();
        Array.ForEach(held, Return);

        long Single(string instrument, int registry, string? state = null) =>
            measurements.Single(m => m.Instrument == instrument && Equals(m.Registry, registry) && Equals(m.State, state)).Value;
        Assert.Equal(3, Single(SwitchboardDiagnostics.ConnectionMax, first.Registry.Id));
        Assert.Equal(7, Single(SwitchboardDiagnostics.ConnectionMax, second.Registry.Id));
        Assert.Equal(3, Single(SwitchboardDiagnostics.ConnectionCount, first.Registry.Id, "used"));
        Assert.Equal(0, Single(SwitchboardDiagnostics.ConnectionCount, first.Registry.Id, "idle"));
        Assert.Equal(0, Single(SwitchboardDiagnostics.ConnectionCount, second.Registry.Id, "used"));
        Assert.Equal(1, Single(SwitchboardDiagnostics.ConnectionCount, second.Registry.Id, "idle"));
        Assert.Equal(1, Single(SwitchboardDiagnostics.Timeouts, first.Registry.Id));
        Assert.DoesNotContain(measurements, m => m.Instrument == SwitchboardDiagnostics.Timeouts && Equals(m.Registry, second.Registry.Id));
    }

    [Fact]
    public async Task CloseEvents_CarryTheReasonAsAValue_AndAsTheSameTextAsBefore()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        var driver = new FakeDriver();
        db.Registry.RegisterDriver(driver);
        var connection = db.Registry.Configure("reasons", new Dictionary<string, object?>
        {
            ["driver"] = driver.Name,
            ["database"] = "fake",
            ["pool_size"] = 3,
            ["idle_timeout"] = 60,
            ["pool_recycle"] = -1,
            ["pool_pre_ping"] = "always",
        });
        var closed = new ConcurrentQueue<ConnectionEventArgs>();
        var invalidated = new ConcurrentQueue<ConnectionEventArgs>();
        using var onClose = db.Registry.Events.OnDisconnect(closed.Enqueue);
        using var onInvalidate = db.Registry.Events.OnInvalidate(invalidated.Enqueue);

        // One idles out; one fails its pre-ping; one is broken by its holder; the last goes with the pool.
        var a = await Rent(connection);
        var b = await Rent(connection);
        Return(a);
        Return(b);
        clock.Advance(TimeSpan.FromSeconds(61));
        connection.Pool.Maintain();
        Assert.Equal([ConnectionCloseReason.Idle, ConnectionCloseReason.Idle], closed.Select(e => e.CloseReason));

        var c = await Rent(connection);
        Return(c);
        driver.KillAll();
        var d = await Rent(connection);
        Assert.NotSame(c, d);
        Assert.Equal(ConnectionCloseReason.FailedPrePing, Assert.Single(invalidated).CloseReason);

        d.Break();
        Return(d);
        var e = await Rent(connection);
        Return(e);
        await db.Registry.DisposeAsync("reasons", TimeSpan.Zero, TestContext.Current.CancellationToken);

        Assert.Equal(
            [ConnectionCloseReason.Idle, ConnectionCloseReason.Idle, ConnectionCloseReason.FailedPrePing, ConnectionCloseReason.Broken, ConnectionCloseReason.Disposed],
            closed.Select(e => e.CloseReason));
        Assert.Equal(["idle", "idle", "failed pre-ping", "broken", "disposed"], closed.Select(e => e.Reason));
        Assert.All(closed, e => Assert.EndsWith($"({e.Reason})", e.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task OtherEvents_HaveNoCloseReason()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("no-reason");
        var seen = new ConcurrentQueue<ConnectionEventArgs>();
        using var onConnect = db.Registry.Events.OnConnect(seen.Enqueue);
        using var onCheckout = db.Registry.Events.OnCheckout(seen.Enqueue);
        using var onCheckin = db.Registry.Events.OnCheckin(seen.Enqueue);

        Return(await Rent(connection));

        Assert.Equal([ConnectionEventKind.Connect, ConnectionEventKind.Checkout, ConnectionEventKind.Checkin], seen.Select(e => e.Kind));
        Assert.All(seen, e => Assert.Null(e.CloseReason));
        Assert.All(seen, e => Assert.Null(e.Reason));
    }
}
