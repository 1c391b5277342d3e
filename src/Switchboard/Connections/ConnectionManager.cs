using Microsoft.Extensions.Logging;
using Switchboard.Dialects;

namespace Switchboard;

/// <summary>
/// A static facade over <see cref="ConnectionRegistry.Default"/> (the built-in registry, or the one made the default with
/// <see cref="ConnectionRegistry.SetDefault"/>).
/// Configure named connections at startup, use them anywhere, dispose them at shutdown.
/// </summary>
public static partial class ConnectionManager
{
    /// <summary>The registry behind this facade: <see cref="ConnectionRegistry.Default"/> at the moment of the call.</summary>
    public static ConnectionRegistry Registry => ConnectionRegistry.Default;

    /// <summary>The names of the configured connections.</summary>
    public static IReadOnlyCollection<string> Names => Registry.Names;

    /// <summary>Where echo and pool warnings go; without one, echo writes to standard error.</summary>
    public static ILoggerFactory? LoggerFactory
    {
        get => Registry.LoggerFactory;
        set => Registry.LoggerFactory = value;
    }

    /// <inheritdoc cref="ConnectionRegistry.Configure(string, ConnectionConfig, bool)"/>
    public static Connection Configure(string name, ConnectionConfig config, bool replace = false) => Registry.Configure(name, config, replace);

    /// <inheritdoc cref="ConnectionRegistry.Configure(string, IEnumerable{KeyValuePair{string, object}}, bool)"/>
    public static Connection Configure(string name, IEnumerable<KeyValuePair<string, object?>> config, bool replace = false) => Registry.Configure(name, config, replace);

    /// <inheritdoc cref="ConnectionRegistry.Configure(string, string, bool)"/>
    public static Connection Configure(string name, string url, bool replace = false) => Registry.Configure(name, url, replace);

    /// <inheritdoc cref="ConnectionRegistry.ConfigureResolver(string, Func{string, ConnectionConfig})"/>
    public static void ConfigureResolver(string prefix, Func<string, ConnectionConfig?> resolve) => Registry.ConfigureResolver(prefix, resolve);

    /// <inheritdoc cref="ConnectionRegistry.ConfigureShards(string, IReadOnlyDictionary{string, object})"/>
    public static void ConfigureShards(string name, IReadOnlyDictionary<string, object> shards) => Registry.ConfigureShards(name, shards);

    /// <inheritdoc cref="ConnectionRegistry.ConfigureShards(string, IReadOnlyDictionary{string, object}, bool)"/>
    public static void ConfigureShards(string name, IReadOnlyDictionary<string, object> shards, bool replace) => Registry.ConfigureShards(name, shards, replace);

    /// <inheritdoc cref="ConnectionRegistry.RemoveResolver(string)"/>
    public static bool RemoveResolver(string prefix) => Registry.RemoveResolver(prefix);

    /// <inheritdoc cref="ConnectionRegistry.UsingShard(string, string)"/>
    public static IDisposable UsingShard(string name, string shard) => Registry.UsingShard(name, shard);

    /// <inheritdoc cref="ConnectionRegistry.ForEachShardAsync{TResult}(string, Func{Connection, CancellationToken, Task{TResult}}, int, CancellationToken)"/>
    public static Task<IReadOnlyDictionary<string, TResult>> ForEachShardAsync<TResult>(
        string name,
        Func<Connection, CancellationToken, Task<TResult>> body,
        int maxParallel = 4,
        CancellationToken cancellationToken = default) => Registry.ForEachShardAsync(name, body, maxParallel, cancellationToken);

    /// <inheritdoc cref="ConnectionRegistry.GetConnection(string)"/>
    public static Connection GetConnection(string name) => Registry.GetConnection(name);

    /// <inheritdoc cref="ConnectionRegistry.IsConfigured(string)"/>
    public static bool IsConfigured(string name) => Registry.IsConfigured(name);

    /// <inheritdoc cref="ConnectionRegistry.RegisterDriver(DatabaseDriver)"/>
    public static void RegisterDriver(DatabaseDriver driver) => Registry.RegisterDriver(driver);

    /// <inheritdoc cref="ConnectionRegistry.InitializeAll"/>
    public static void InitializeAll() => Registry.InitializeAll();

    /// <inheritdoc cref="ConnectionRegistry.InitializeAllAsync(CancellationToken)"/>
    public static Task InitializeAllAsync(CancellationToken cancellationToken = default) => Registry.InitializeAllAsync(cancellationToken);

    /// <inheritdoc cref="ConnectionRegistry.Dispose(string)"/>
    public static bool Dispose(string name) => Registry.Dispose(name);

    /// <inheritdoc cref="ConnectionRegistry.DisposeAsync(string)"/>
    public static ValueTask<bool> DisposeAsync(string name) => Registry.DisposeAsync(name);

    /// <inheritdoc cref="ConnectionRegistry.DisposeAll"/>
    public static void DisposeAll() => Registry.DisposeAll();

    /// <inheritdoc cref="ConnectionRegistry.DisposeAllAsync"/>
    public static ValueTask DisposeAllAsync() => Registry.DisposeAllAsync();

    /// <inheritdoc cref="ConnectionRegistry.DisposeAsync(string, TimeSpan, CancellationToken)"/>
    public static Task<bool> DisposeAsync(string name, TimeSpan gracePeriod, CancellationToken cancellationToken = default) => Registry.DisposeAsync(name, gracePeriod, cancellationToken);

    /// <inheritdoc cref="ConnectionRegistry.CheckHealth"/>
    public static IReadOnlyList<ConnectionHealth> CheckHealth() => Registry.CheckHealth();

    /// <inheritdoc cref="ConnectionRegistry.CheckHealthAsync(CancellationToken)"/>
    public static Task<IReadOnlyList<ConnectionHealth>> CheckHealthAsync(CancellationToken cancellationToken = default) => Registry.CheckHealthAsync(cancellationToken);
}
