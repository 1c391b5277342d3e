using System.Collections.Concurrent;

namespace Switchboard;

// Tenants configured on first use: a name with a resolver's prefix is configured from it the first time it is looked up.
public sealed partial class ConnectionRegistry
{
    /// <summary>The default <c>evict_after</c> of a connection made by a resolver.</summary>
    internal static readonly TimeSpan ResolvedEvictAfter = TimeSpan.FromSeconds(600);

    private readonly ConcurrentDictionary<string, Lazy<Connection?>> _resolving = new(StringComparer.Ordinal);
    private volatile KeyValuePair<string, Func<string, ConnectionConfig?>>[] _resolvers = [];

    /// <summary>
    /// Configures names that start with <paramref name="prefix"/> on their first use: when such a name is not configured,
    /// <paramref name="resolve"/> is called with it (once, however many callers ask at the same moment) and its
    /// configuration is used as if passed to <see cref="Configure(string, ConnectionConfig, bool)"/>. Its pool is evicted
    /// after <c>evict_after</c> (600 seconds unless the configuration says otherwise) without use.
    /// </summary>
    /// <param name="prefix">The start of the names it serves, such as <c>"tenant:"</c>; the longest matching prefix wins.</param>
    /// <param name="resolve">Returns the configuration for a name, or null when there is no such tenant (the lookup then fails as for any unknown name).</param>
    /// <exception cref="ConfigurationException">The prefix is empty. A resolver that throws, or returns an invalid configuration, fails the lookup with a <see cref="ConfigurationException"/> that wraps its exception.</exception>
    public void ConfigureResolver(string prefix, Func<string, ConnectionConfig?> resolve)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        if (string.IsNullOrEmpty(prefix))
        {
            throw new ConfigurationException(
                "A resolver's prefix must not be empty. Give the tenants' names a common start, such as \"tenant:\", and pass it as the prefix.",
                key: null);
        }

        bool replaced;
        lock (_configureGate)
        {
            // Longest prefix first, so that "tenant:eu:" is asked before "tenant:"; a second resolver for a prefix replaces the first.
            replaced = _resolvers.Any(r => r.Key == prefix);
            _resolvers = [.. _resolvers.Where(r => r.Key != prefix).Append(new(prefix, resolve)).OrderByDescending(r => r.Key.Length)];
        }

        if (replaced)
        {
            foreach (var (name, connection) in _connections)
            {
                if (connection.ResolvedBy == prefix)
                {
                    Reresolve(name, connection, prefix, resolve);
                }
            }
        }
    }

    /// <summary>
    /// Removes the resolver for <paramref name="prefix"/>: its names are no longer configured on first use, and the
    /// connections it configured are disposed (idle connections close now, those in use when given back).
    /// </summary>
    /// <returns>Whether a resolver had that prefix.</returns>
    public bool RemoveResolver(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        lock (_configureGate)
        {
            if (!_resolvers.Any(r => r.Key == prefix))
            {
                return false;
            }

            _resolvers = [.. _resolvers.Where(r => r.Key != prefix)];
        }

        foreach (var (name, connection) in _connections)
        {
            if (connection.ResolvedBy == prefix)
            {
                Release(name, connection);
            }
        }

        return true;
    }

    /// <summary>
    /// Configures a name made by a resolver that has since been replaced from the new one; work in flight finishes on the
    /// old pool. A name the new resolver does not configure (null, an exception, an invalid configuration) is let go, and
    /// its next use asks the resolver again, which then reports why.
    /// </summary>
    private void Reresolve(string name, Connection connection, string prefix, Func<string, ConnectionConfig?> resolve)
    {
        try
        {
            if (resolve(name) is { } config)
            {
                Configure(name, config, replace: true, resolvedBy: prefix);
                return;
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Reported on the name's next use, which calls the resolver again.
        }

        Release(name, connection);
    }

    /// <summary>Lets a resolved connection go without marking its name disposed: the name resolves again on its next use.</summary>
    private void Release(string name, Connection connection)
    {
        if (!_connections.TryRemove(new KeyValuePair<string, Connection>(name, connection)))
        {
            return;
        }

        OnPoolClosed(connection);
        DisposeReplicasInBackground(connection, connection.PoolIfOpen?.DisposeAsync().AsTask() ?? Task.CompletedTask);
    }

    /// <summary>The evict_after of a new connection: its own, or the resolver default; null when it is never evicted.</summary>
    private static TimeSpan? EvictAfterFor(ConnectionConfig config, bool resolved) => config.EvictAfter switch
    {
        { } never when never == Timeout.InfiniteTimeSpan => null,
        { } evictAfter => evictAfter,
        null => resolved ? ResolvedEvictAfter : null,
    };

    /// <summary>A name that is not configured: a shard scope's connection, a resolver's tenant, or the usual error.</summary>
    private Connection Unconfigured(string name)
    {
        if (ShardFor(name) is { } shard)
        {
            return shard;
        }

        var resolvers = _resolvers;
        foreach (var (prefix, resolve) in resolvers)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal) && !_disposedNames.ContainsKey(name))
            {
                return Resolve(name, prefix, resolve) ?? throw Missing(name);
            }
        }

        throw Missing(name);
    }

    private Connection? Resolve(string name, string prefix, Func<string, ConnectionConfig?> resolve)
    {
        // One Lazy per name in flight: concurrent first uses share one call of the resolver.
        var lazy = _resolving.GetOrAdd(name, static (n, state) => new Lazy<Connection?>(() => state.Registry.ConfigureResolved(n, state.Prefix, state.Resolve), LazyThreadSafetyMode.ExecutionAndPublication), (Registry: this, Prefix: prefix, Resolve: resolve));
        try
        {
            return lazy.Value;
        }
        finally
        {
            _resolving.TryRemove(new KeyValuePair<string, Lazy<Connection?>>(name, lazy));
        }
    }

    private Connection? ConfigureResolved(string name, string prefix, Func<string, ConnectionConfig?> resolve)
    {
        if (_connections.TryGetValue(name, out var existing))
        {
            return existing; // configured by a caller just before this one
        }

        ConnectionConfig? config;
        try
        {
            config = resolve(name);
        }
        catch (Exception exception)
        {
            throw new ConfigurationException(
                $"The resolver for connection '{name}' threw {exception.GetType().Name}. Fix the resolver passed to ConfigureResolver; its exception is the inner exception.",
                key: null,
                name,
                exception);
        }

        if (config is null)
        {
            return null;
        }

        lock (_configureGate)
        {
            if (_connections.TryGetValue(name, out existing))
            {
                return existing;
            }
        }

        Connection connection;
        try
        {
            connection = Configure(name, config, replace: false, resolvedBy: prefix);
        }
        catch (ConfigurationException) when (_connections.TryGetValue(name, out existing))
        {
            return existing; // configured by Configure on another thread meanwhile
        }

        if (Array.Find(_resolvers, r => r.Key == prefix).Value is var current && current != resolve)
        {
            // The resolver was replaced or removed while this one ran: the name follows what is configured now.
            if (current is null)
            {
                Release(name, connection);
                return null;
            }

            Reresolve(name, connection, prefix, current);
            return _connections.TryGetValue(name, out existing) ? existing : null;
        }

        return connection;
    }

    private void StopSweeper()
    {
        lock (_sweeperGate)
        {
            _sweeper?.Dispose();
            _sweeper = null;
            _sweepPeriod = TimeSpan.MaxValue;
        }
    }
}
