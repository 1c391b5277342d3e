using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Diagnostics;
using Switchboard.Pooling;

namespace Switchboard;

// Fleets of databases: bounds on open pools and on connections per host, and eviction of idle pools.
public sealed partial class ConnectionRegistry
{
    private readonly ConcurrentDictionary<ConnectionPool, byte> _openPools = new();
    private readonly ConcurrentDictionary<string, HostLimiter> _hostLimiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _sweeperGate = new();
    private int? _maxOpenPools;
    private int? _maxConnectionsPerHost;
    private ITimer? _sweeper;
    private TimeSpan _sweepPeriod = TimeSpan.MaxValue;

    /// <summary>
    /// The most pools that may be open at once. Before a pool opens beyond it, the least recently used pools with nothing
    /// checked out close their connections and let go of what they hold; they open again on their next use. A pool with a
    /// connection checked out (or inside a transaction) is never closed, so the bound is exceeded only while every open pool is in use.
    /// </summary>
    /// <value>Null: no bound.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int? MaxOpenPools
    {
        get => _maxOpenPools;
        set
        {
            if (value is < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "MaxOpenPools must be at least 1, or null for no bound.");
            }

            _maxOpenPools = value;
            EnforceOpenPoolBound();
            if (value is not null)
            {
                // The bound is kept when pools open, and restored by the sweep when busy pools have gone quiet.
                EnsureSweeper(TimeSpan.FromSeconds(10));
            }
        }
    }

    /// <summary>
    /// The most physical connections all pools on one host and port may hold together. A checkout over the cap waits like a
    /// pool wait, in arrival order across pools, and gives up after its <c>pool_timeout</c> with a
    /// <see cref="PoolTimeoutException"/> that names the cap. While callers wait, idle connections on the host are closed to make room.
    /// Set it before the pools on the host open: it applies to pools opened after the change.
    /// </summary>
    /// <value>Null: no cap. Local files (SQLite) have no host and are never capped.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int? MaxConnectionsPerHost
    {
        get => _maxConnectionsPerHost;
        set
        {
            if (value is < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "MaxConnectionsPerHost must be at least 1, or null for no cap.");
            }

            _maxConnectionsPerHost = value;
            _hostLimiters.Clear();
        }
    }

    /// <summary>The number of pools open now: made on first use and not evicted or disposed since.</summary>
    public int OpenPools => _openPools.Count;

    /// <summary>The cap for the host of <paramref name="config"/>, or null when there is none.</summary>
    internal HostLimiter? HostLimiterFor(ConnectionConfig config)
    {
        if (_maxConnectionsPerHost is not { } max || string.IsNullOrEmpty(config.Host))
        {
            return null;
        }

        var key = $"{config.Host}:{config.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default"}";
        return _hostLimiters.GetOrAdd(key, static (k, m) => new HostLimiter(k, m), max);
    }

    /// <summary>A connection made its pool: count it, and close the least recently used idle pools over <see cref="MaxOpenPools"/>.</summary>
    internal void OnPoolCreated(Connection connection)
    {
        var pool = connection.PoolIfOpen;
        if (pool is null)
        {
            return;
        }

        pool.Touch();
        pool.HostLimiter?.Register(pool);
        _openPools[pool] = 0;
        if (connection.EvictAfter is { } evictAfter)
        {
            EnsureSweeper(evictAfter);
        }

        // The new pool itself is spared: its caller is about to use it.
        EnforceOpenPoolBound(except: connection);
    }

    /// <summary>A connection let its pool go.</summary>
    internal void OnPoolEvicted(ConnectionPool pool)
    {
        _openPools.TryRemove(pool, out _);
        PoolMetrics.RecordEviction(pool);
    }

    /// <summary>A connection was disposed or replaced: its pool no longer counts as open.</summary>
    internal void OnPoolClosed(Connection connection)
    {
        if (connection.PoolIfOpen is { } pool)
        {
            _openPools.TryRemove(pool, out _);
            pool.HostLimiter?.Forget(pool);
        }
    }

    private void EnforceOpenPoolBound(Connection? except = null)
    {
        if (_maxOpenPools is not { } max || _openPools.Count <= max)
        {
            return;
        }

        // Least recently used first; a pool in use is skipped, so the bound is exceeded only while all are busy.
        var candidates = _openPools.Keys
            .Where(p => p.IsQuiet && !ReferenceEquals(p.Owner, except))
            .OrderBy(p => p.LastUsed)
            .ToList();
        foreach (var pool in candidates)
        {
            if (_openPools.Count <= max)
            {
                return;
            }

            pool.Owner.TryEvictPool(pool);
        }
    }

    private void EnsureSweeper(TimeSpan evictAfter)
    {
        // Often enough to honour the shortest evict_after within a tenth of it; one timer for the whole registry.
        var period = TimeSpan.FromTicks(Math.Clamp(evictAfter.Ticks / 10, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(30).Ticks));
        lock (_sweeperGate)
        {
            if (_sweeper is not null && period >= _sweepPeriod)
            {
                return;
            }

            _sweepPeriod = period;
            if (_sweeper is null)
            {
                _sweeper = TimeProvider.CreateTimer(static state => ((ConnectionRegistry)state!).SweepOnTimer(), this, period, period);
            }
            else
            {
                _sweeper.Change(period, period);
            }
        }
    }

    private void SweepOnTimer()
    {
        try
        {
            Sweep();
        }
        catch (Exception exception)
        {
            // A timer callback that throws ends the process: the next sweep tries again.
            Log.SweepFailed(LoggerFactory?.CreateLogger("Switchboard.Pool") ?? NullLogger.Instance, exception);
        }
    }

    /// <summary>Evicts every open pool idle for its <c>evict_after</c> with nothing checked out.</summary>
    internal void Sweep()
    {
        var now = TimeProvider.GetTimestamp();
        foreach (var pool in _openPools.Keys)
        {
            if (pool.Owner.EvictAfter is { } evictAfter
                && pool.IsQuiet
                && TimeProvider.GetElapsedTime(pool.LastUsed, now) >= evictAfter)
            {
                pool.Owner.TryEvictPool(pool);
            }
        }

        // Over the bound because every pool was busy when the last one opened: the pools that have gone quiet since go now.
        EnforceOpenPoolBound();
    }
}
