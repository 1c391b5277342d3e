using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Switchboard.Pooling;

namespace Switchboard.Diagnostics;

/// <summary>
/// The <c>Switchboard</c> meter and its pool instruments (OpenTelemetry database client conventions). Observable
/// instruments read every live pool when a listener collects; the others cost one <c>Enabled</c> check when nobody listens.
/// Each pool records through its own <see cref="PoolTelemetry"/>, which holds its tags.
/// </summary>
internal static class PoolMetrics
{
    private static readonly ConcurrentDictionary<ConnectionPool, PoolTelemetry> Pools = new();

    public static readonly Meter Meter = new(SwitchboardDiagnostics.Name);

    public static readonly Counter<long> Timeouts = Meter.CreateCounter<long>(SwitchboardDiagnostics.Timeouts, "{timeout}", "Checkouts that gave up after pool_timeout.");

    public static readonly Histogram<double> CreateTime = Meter.CreateHistogram<double>(SwitchboardDiagnostics.CreateTime, "s", "Time to open a physical connection.");

    public static readonly Histogram<double> WaitTime = Meter.CreateHistogram<double>(SwitchboardDiagnostics.WaitTime, "s", "Time a checkout waited for a connection.");

    public static readonly Histogram<double> UseTime = Meter.CreateHistogram<double>(SwitchboardDiagnostics.UseTime, "s", "Time a connection was held.");

    public static readonly Counter<long> Evictions = Meter.CreateCounter<long>(SwitchboardDiagnostics.PoolsEvicted, "{pool}", "Pools evicted (idle past evict_after, or least recently used over MaxOpenPools).");

    static PoolMetrics()
    {
        Meter.CreateObservableUpDownCounter(SwitchboardDiagnostics.PoolsOpen, static () => (long)Pools.Count, "{pool}", "Pools open now.");
        Meter.CreateObservableUpDownCounter(SwitchboardDiagnostics.ConnectionCount, ObserveCount, "{connection}", "Connections by state.");
        Meter.CreateObservableUpDownCounter(SwitchboardDiagnostics.ConnectionMax, () => Observe(s => s.MaxSize), "{connection}", "The most connections a pool may open.");
        Meter.CreateObservableUpDownCounter(SwitchboardDiagnostics.PendingRequests, () => Observe(s => s.Waiting), "{request}", "Callers waiting for a connection.");
    }

    public static void Track(ConnectionPool pool) => Pools[pool] = pool.Telemetry;

    public static void Untrack(ConnectionPool pool) => Pools.TryRemove(pool, out _);

    public static void RecordEviction(ConnectionPool pool) => pool.Telemetry.Evicted();

    private static List<Measurement<long>> Observe(Func<PoolStatistics, long> value) =>
        Pools.Select(p => new Measurement<long>(value(p.Key.Statistics), p.Value.Tags)).ToList();

    private static List<Measurement<long>> ObserveCount()
    {
        var measurements = new List<Measurement<long>>();
        foreach (var (pool, telemetry) in Pools)
        {
            var statistics = pool.Statistics;
            measurements.Add(new(statistics.Idle, telemetry.IdleTags));
            measurements.Add(new(statistics.InUse, telemetry.UsedTags));
        }

        return measurements;
    }
}
