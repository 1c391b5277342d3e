using Microsoft.Extensions.Logging;
using Switchboard.Pooling;

namespace Switchboard;

// The pool behind a named connection: made on first use, and let go whole when the fleet evicts it, so that a configured
// connection that is not in use holds no pool, no driver data source and no model mappings.
public sealed partial class Connection
{
    private readonly ILogger _poolLogger;
    private readonly Lock _poolGate = new();
    private ConnectionPool? _pool;
    private Records.MappingCache? _mappings;

    /// <summary>How long the pool may go unused before the fleet evicts it; null when never.</summary>
    internal TimeSpan? EvictAfter { get; init; }

    /// <summary>The prefix of the resolver that configured this connection on first use, or null when it was configured by name.</summary>
    internal string? ResolvedBy { get; init; }

    /// <summary>
    /// Pings this connection through its pool (opening a connection when none is idle) and reports its status, the
    /// ping's latency and the pool's statistics. Degraded, without a ping, when every connection is in use; Unhealthy,
    /// with the reason, when the server cannot be reached. A connection replaced under its name checks its replacement.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the ping answered.</exception>
    public Task<ConnectionHealth> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        Current.Pool.CheckHealthAsync(async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="CheckHealthAsync"/>
    public ConnectionHealth CheckHealth() => Current.Pool.CheckHealthAsync(async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>The pool, made now when this connection has none (first use, or first use after an eviction).</summary>
    internal ConnectionPool Pool => Volatile.Read(ref _pool) ?? CreatePool();

    /// <summary>The pool if there is one; never makes one.</summary>
    internal ConnectionPool? PoolIfOpen => Volatile.Read(ref _pool);

    /// <summary>
    /// Lets the pool go when nothing is checked out of it and nobody waits for it: its idle connections close, its driver
    /// data source is disposed and the model mappings are dropped. The next statement makes a new pool.
    /// </summary>
    /// <param name="expected">The pool to let go, when the caller chose one: nothing happens if the connection has another by now.</param>
    /// <returns>Whether a pool was let go.</returns>
    internal bool TryEvictPool(ConnectionPool? expected = null)
    {
        ConnectionPool? pool;
        lock (_poolGate)
        {
            pool = _pool;
            if (pool is null || (expected is not null && !ReferenceEquals(pool, expected)) || !pool.TryRetire())
            {
                return false;
            }

            // A renter that read the old pool a moment ago finds it retired and comes back here for the new one.
            Volatile.Write(ref _pool, null);
            Volatile.Write(ref _mappings, null);
        }

        // Closed before it stops counting as open, so that MaxOpenPools holds as the operating system sees it.
        pool.CloseRetired();
        Registry.OnPoolEvicted(pool);
        return true;
    }

    private ConnectionPool CreatePool()
    {
        ConnectionPool pool;
        lock (_poolGate)
        {
            if (_pool is { } existing)
            {
                return existing;
            }

            var source = DatabaseDriver.CreateDataSource(_config, Name);
            pool = new ConnectionPool(Name, Registry.Id, _config, DatabaseDriver, source, Registry.Events, Registry.TimeProvider, _poolLogger)
            {
                Owner = this,
                HostLimiter = Registry.HostLimiterFor(_config),
            };
            Volatile.Write(ref _pool, pool);
        }

        // Outside the lock: over MaxOpenPools, the registry closes the least recently used idle pools before this one opens anything.
        Registry.OnPoolCreated(this);
        return pool;
    }

    private Records.MappingCache CreateMappings()
    {
        var mappings = new Records.MappingCache(this);
        return Interlocked.CompareExchange(ref _mappings, mappings, null) ?? mappings;
    }
}
