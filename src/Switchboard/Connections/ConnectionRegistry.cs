using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Dialects;
using Switchboard.Pooling;
using Switchboard.Routing;

namespace Switchboard;

/// <summary>
/// A set of named connections, each with its own pool. <see cref="ConnectionManager"/> is the static facade over
/// <see cref="Default"/>; tests and DI containers create their own instances, which are fully independent.
/// </summary>
public sealed partial class ConnectionRegistry : IDisposable, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Connection> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DatabaseDriver> _drivers = new(StringComparer.OrdinalIgnoreCase);

    // Names disposed and not configured again: a lookup by name then says "disposed", as the Connection object does.
    private readonly ConcurrentDictionary<string, bool> _disposedNames = new(StringComparer.Ordinal);
    private readonly Lock _configureGate = new();
    private string? _defaultConnectionName;

    /// <summary>Creates an empty registry.</summary>
    /// <param name="loggerFactory">Where echo and pool warnings go; without one, echo writes to standard error.</param>
    /// <param name="timeProvider">The clock for pool timeouts and recycling; <see cref="TimeProvider.System"/> when null.</param>
    public ConnectionRegistry(ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        LoggerFactory = loggerFactory;
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Where echo and pool warnings go; connections configured after a change use the new factory.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The clock for pool timeouts and recycling.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Subscriptions to the events of this registry's pools only (see <see cref="ConnectionEvents"/> for every registry).</summary>
    public ConnectionEventHub Events { get; } = new();

    /// <summary>The names of the configured connections.</summary>
    public IReadOnlyCollection<string> Names => [.. _connections.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The connection models use when neither a scope nor <see cref="ConnectionAttribute"/> names one.</summary>
    /// <value>The first connection configured, until set.</value>
    public string? DefaultConnectionName
    {
        get => _defaultConnectionName is { } name && _connections.ContainsKey(name) ? name : _defaultConnectionName;
        set => _defaultConnectionName = value;
    }

    /// <summary>Configures a named connection from a typed configuration. Nothing connects until first use.</summary>
    /// <param name="name">The connection's name.</param>
    /// <param name="config">The configuration; it is validated and copied.</param>
    /// <param name="replace">
    /// Replace an existing connection of that name instead of failing. The hand-over is graceful: new statements (through the
    /// old <see cref="Connection"/> object too) and callers waiting for a connection go to the new pool; connections in use on
    /// the old pool finish their work, open transactions included, and close when given back.
    /// </param>
    /// <returns>The configured connection.</returns>
    /// <exception cref="ConfigurationException">The configuration is invalid, or the name is taken and <paramref name="replace"/> is false.</exception>
    public Connection Configure(string name, ConnectionConfig config, bool replace = false) =>
        Configure(name, config, replace, resolvedBy: null);

    private Connection Configure(string name, ConnectionConfig config, bool replace, string? resolvedBy)
    {
        ArgumentNullException.ThrowIfNull(config);
        ValidateName(name);
        var driver = Validate(name, config);
        var copy = Normalize(config, driver);
        var replicas = ValidateReplicas(name, copy, driver);
        Connection? previous;
        Connection connection;
        lock (_configureGate)
        {
            if (_shards.ContainsKey(name))
            {
                throw new ConfigurationException(
                    $"Connection '{name}' is a sharded connection; its shards are configured as '{name}:<shard>'. Choose another name, or configure a shard.",
                    key: null,
                    name);
            }

            if (_connections.TryGetValue(name, out previous) && !replace)
            {
                throw new ConfigurationException(
                    $"Connection '{name}' is already configured. Pass replace: true to Configure to replace it (work in flight finishes on the old pool), or choose another name.",
                    key: null,
                    name);
            }

            // No pool yet: the connection makes it on first use, so that configuring thousands of names opens and holds nothing.
            var loggerFactory = LoggerFactory;
            connection = new Connection(this, name, copy, driver, loggerFactory?.CreateLogger("Switchboard.Pool") ?? NullLogger.Instance, loggerFactory?.CreateLogger("Switchboard.Sql"))
            {
                EvictAfter = EvictAfterFor(copy, resolved: resolvedBy is not null),
                ResolvedBy = resolvedBy,
            };
            AttachReplicas(connection, copy, driver, replicas, loggerFactory);
            _connections[name] = connection;
            _disposedNames.TryRemove(name, out _);
            _defaultConnectionName ??= name;
        }

        if (previous is not null)
        {
            // A graceful hand-over, not a dispose: nothing in flight fails because the configuration changed.
            previous.HandOver(connection);
            OnPoolClosed(previous);
            DisposeReplicasInBackground(previous, previous.PoolIfOpen?.HandOverAsync(connection.Pool) ?? Task.CompletedTask);
        }

        return connection;
    }

    /// <summary>Configures a named connection from a dictionary (snake_case keys: <c>driver</c>, <c>database</c>, <c>pool_size</c>, ...).</summary>
    /// <inheritdoc cref="Configure(string, ConnectionConfig, bool)"/>
    public Connection Configure(string name, IEnumerable<KeyValuePair<string, object?>> config, bool replace = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Configure(name, WithName(name, () => ConnectionConfig.FromDictionary(config)), replace);
    }

    /// <summary>Configures a named connection from a URL such as <c>postgresql://user:pw@host:5432/db?pool_size=5</c> or <c>sqlite:///main.db</c>.</summary>
    /// <inheritdoc cref="Configure(string, ConnectionConfig, bool)"/>
    public Connection Configure(string name, string url, bool replace = false)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Configure(name, WithName(name, () => ConnectionConfig.Parse(url)), replace);
    }

    /// <summary>Returns the named connection.</summary>
    /// <exception cref="ConfigurationException">No connection has that name; the message lists the configured ones.</exception>
    /// <exception cref="ConnectionException">The connection of that name was disposed and not configured again.</exception>
    public Connection GetConnection(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _connections.TryGetValue(name, out var connection) ? connection : Unconfigured(name);
    }

    /// <summary>Whether a connection of that name is configured.</summary>
    public bool IsConfigured(string name) => name is not null && _connections.ContainsKey(name);

    /// <summary>Registers a driver for this registry (explicit registration, for trimmed and AOT applications or custom engines).</summary>
    public void RegisterDriver(DatabaseDriver driver) => DriverCatalog.Register(driver, _drivers);

    /// <summary>Opens one connection in every configured pool now, so that configuration errors surface at startup.</summary>
    /// <exception cref="ConnectionException">Some connections could not be opened; the message names each.</exception>
    public void InitializeAll() => InitializeAllAsync(async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc cref="InitializeAll"/>
    public Task InitializeAllAsync(CancellationToken cancellationToken = default) => InitializeAllAsync(async: true, cancellationToken).AsTask();

    /// <summary>
    /// Once <paramref name="poolDone"/> completes (the old pool drained or disposed), disposes the connection's replicas,
    /// in the background: the caller does not wait, and a failure is observed rather than left unobserved.
    /// </summary>
    private static void DisposeReplicasInBackground(Connection connection, Task poolDone)
    {
        var done = poolDone.ContinueWith(_ => DisposeReplicasAsync(connection).AsTask(), TaskScheduler.Default).Unwrap();
        _ = done.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Disposes one connection: idle connections close now, those in use close when given back, and the name can be
    /// configured again. A sharded connection's name disposes every shard.
    /// </summary>
    /// <returns>Whether a connection of that name was configured.</returns>
    public bool Dispose(string name) => DisposeAsync(name).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc cref="Dispose(string)"/>
    public async ValueTask<bool> DisposeAsync(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (RemoveSharded(name) is { } shards)
        {
            foreach (var shard in shards)
            {
                await DisposeAsync(shard).ConfigureAwait(false);
            }

            return true;
        }

        Connection? connection;
        lock (_configureGate)
        {
            if (!_connections.TryRemove(name, out connection))
            {
                return false;
            }

            _disposedNames[name] = true;
        }

        OnPoolClosed(connection);
        await connection.Pool.DisposeAsync().ConfigureAwait(false);
        await DisposeReplicasAsync(connection).ConfigureAwait(false);
        return true;
    }

    /// <summary>Disposes every connection (at application shutdown).</summary>
    public void DisposeAll() => DisposeAllAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc cref="DisposeAll"/>
    public async ValueTask DisposeAllAsync()
    {
        StopSweeper();
        foreach (var sharded in _shards.Keys)
        {
            // The sharded name too, so that it can be configured again, as every other name can.
            await DisposeAsync(sharded).ConfigureAwait(false);
        }

        foreach (var name in Names)
        {
            await DisposeAsync(name).ConfigureAwait(false);
        }
    }

    /// <summary>Pings every configured connection and reports, per connection, its status, latency and any error.</summary>
    public IReadOnlyList<ConnectionHealth> CheckHealth() => CheckHealthAsync(async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc cref="CheckHealth"/>
    public Task<IReadOnlyList<ConnectionHealth>> CheckHealthAsync(CancellationToken cancellationToken = default) => CheckHealthAsync(async: true, cancellationToken).AsTask();

    /// <summary>
    /// Disposes one connection gracefully: idle connections close now, in-use ones as they come back, and any still in
    /// use after <paramref name="gracePeriod"/> are closed under their holders. The name can be configured again at once; a sharded connection's name disposes every shard.
    /// </summary>
    /// <returns>Whether every connection came back within the grace period (false too when the name was not configured).</returns>
    public async Task<bool> DisposeAsync(string name, TimeSpan gracePeriod, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (RemoveSharded(name) is { } shards)
        {
            var shardsDrained = await Task.WhenAll(shards.Select(shard => DisposeAsync(shard, gracePeriod, cancellationToken))).ConfigureAwait(false);
            return shardsDrained.All(d => d);
        }

        Connection? connection;
        lock (_configureGate)
        {
            if (!_connections.TryRemove(name, out connection))
            {
                return false;
            }

            _disposedNames[name] = true;
        }

        OnPoolClosed(connection);
        var drained = await connection.Pool.DisposeAsync(gracePeriod, cancellationToken).ConfigureAwait(false);
        await DisposeReplicasAsync(connection).ConfigureAwait(false);
        return drained;
    }

    /// <summary>Makes this registry the one models use in the current async flow, until the result is disposed.</summary>
    public IDisposable Activate()
    {
        var previous = AmbientContext.Current?.Registry;
        AmbientContext.SetRegistry(this);
        return new Activation(previous);
    }

    /// <summary>Disposes every connection.</summary>
    void IDisposable.Dispose() => DisposeAll();

    /// <summary>Disposes every connection.</summary>
    ValueTask IAsyncDisposable.DisposeAsync() => DisposeAllAsync();

    /// <summary>The registry models use in this flow.</summary>
    internal static ConnectionRegistry Current => AmbientContext.Current?.Registry ?? Default;

    /// <summary>Why no connection has that name: it was disposed (the same exception its pool throws), or it was never configured.</summary>
    internal SwitchboardException Missing(string name) =>
        _disposedNames.ContainsKey(name) ? ConnectionException.Disposed(name) : UnknownName(name);

    internal ConfigurationException UnknownName(string name)
    {
        var names = Names;
        var near = names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        var hint = near is not null ? $" Did you mean '{near}'? Names are case-sensitive." : "";
        // A fleet may hold thousands of names: list a few, never all.
        const int Listed = 20;
        var configured = names.Count == 0
            ? "No connection is configured yet"
            : "Configured connections: " + string.Join(", ", names.Take(Listed)) + (names.Count > Listed ? $" and {names.Count - Listed} more" : "");
        return new ConfigurationException(
            $"No connection named '{name}' is configured.{hint} {configured}. Call ConnectionManager.Configure(\"{name}\", ...) first.",
            key: null,
            name);
    }

    private async ValueTask<IReadOnlyList<ConnectionHealth>> CheckHealthAsync(bool async, CancellationToken cancellationToken)
    {
        var results = new List<ConnectionHealth>();
        foreach (var connection in _connections.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            results.Add(await connection.Pool.CheckHealthAsync(async, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    private async ValueTask InitializeAllAsync(bool async, CancellationToken cancellationToken)
    {
        var failures = new List<(string Name, Exception Error)>();
        foreach (var connection in _connections.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            try
            {
                await connection.Pool.WarmAsync(async, cancellationToken).ConfigureAwait(false);
            }
            catch (ConnectionException exception)
            {
                failures.Add((connection.Name, exception));
            }
        }

        if (failures.Count == 1)
        {
            throw failures[0].Error;
        }

        if (failures.Count > 1)
        {
            throw new ConnectionException(
                $"{failures.Count} connections could not be opened: {string.Join(" ", failures.Select(f => f.Error.Message))}",
                failures[0].Name,
                isTransient: false,
                new AggregateException(failures.Select(f => f.Error)));
        }
    }

    private static ConnectionConfig WithName(string name, Func<ConnectionConfig> read)
    {
        try
        {
            return read();
        }
        catch (ConfigurationException exception)
        {
            throw new ConfigurationException($"Connection '{name}': {exception.Message}", exception.Key, name, exception.InnerException);
        }
    }

    private sealed class Activation(ConnectionRegistry? previous) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                AmbientContext.SetRegistry(previous);
            }
        }
    }
}
