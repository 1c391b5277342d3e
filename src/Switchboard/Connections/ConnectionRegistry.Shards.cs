using System.Collections.Concurrent;
using Switchboard.Routing;

namespace Switchboard;

// Sharded connections: a name whose shards are ordinary connections "name:shard", chosen explicitly, never fanned out silently.
public sealed partial class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, string[]> _shards = new(StringComparer.Ordinal);

    /// <summary>
    /// Configures a sharded connection: each shard becomes an ordinary named connection <c>name:shard</c>, and
    /// <paramref name="name"/> itself can be used only with a shard chosen by <see cref="UsingShard"/>,
    /// <c>OnShard</c> on a query or model, or by <see cref="ForEachShardAsync{TResult}"/>.
    /// </summary>
    /// <param name="name">The sharded connection's name (what models name in <see cref="ConnectionAttribute"/>).</param>
    /// <param name="shards">Each shard's configuration, by shard name: a dictionary, a <see cref="ConnectionConfig"/> or a URL. Engines may differ.</param>
    /// <exception cref="ConfigurationException">No shard is given, a shard's configuration is invalid or of another type, or a name is taken.</exception>
    public void ConfigureShards(string name, IReadOnlyDictionary<string, object> shards) => ConfigureShards(name, shards, replace: false);

    /// <summary>
    /// Configures a sharded connection, or with <paramref name="replace"/> gives an existing one exactly these shards:
    /// each listed shard is configured, or replaced as <see cref="Configure(string, ConnectionConfig, bool)"/> replaces
    /// (work in flight finishes on its old pool); a shard no longer listed is no longer chosen and is disposed. Every
    /// shard's configuration is checked before anything changes, so an invalid one changes nothing.
    /// </summary>
    /// <param name="name">The sharded connection's name (what models name in <see cref="ConnectionAttribute"/>).</param>
    /// <param name="shards">Each shard's configuration, by shard name: a dictionary, a <see cref="ConnectionConfig"/> or a URL. Engines may differ.</param>
    /// <param name="replace">Whether an existing sharded connection of that name is given these shards instead of refused.</param>
    /// <exception cref="ConfigurationException">No shard is given, a shard's configuration is invalid or of another type, or a name is taken.</exception>
    public void ConfigureShards(string name, IReadOnlyDictionary<string, object> shards, bool replace)
    {
        ValidateName(name);
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count == 0)
        {
            throw new ConfigurationException($"Sharded connection '{name}' has no shards. Pass at least one shard name with its configuration.", key: null, name);
        }

        var configs = new List<(string Name, ConnectionConfig Config)>(shards.Count);
        foreach (var (shard, config) in shards)
        {
            if (string.IsNullOrWhiteSpace(shard) || shard.Contains(':', StringComparison.Ordinal))
            {
                throw new ConfigurationException($"Sharded connection '{name}': shard name '{shard}' must be non-empty and contain no ':'.", key: null, name);
            }

            var shardName = ShardName(name, shard);
            var typed = config switch
            {
                ConnectionConfig given => given,
                string url => WithName(shardName, () => ConnectionConfig.Parse(url)),
                IEnumerable<KeyValuePair<string, object?>> dictionary => WithName(shardName, () => ConnectionConfig.FromDictionary(dictionary)),
                _ => throw new ConfigurationException(
                    $"Sharded connection '{name}': shard '{shard}' is a {config?.GetType().Name ?? "null"}. Give each shard a dictionary, a ConnectionConfig or a URL.",
                    key: null,
                    shardName),
            };
            Validate(shardName, typed);
            configs.Add((shardName, typed));
        }

        string[]? previous;
        lock (_configureGate)
        {
            if (_connections.ContainsKey(name) || (_shards.TryGetValue(name, out previous) && !replace))
            {
                throw new ConfigurationException(
                    $"Connection '{name}' is already configured. Dispose it first, pass replace: true to give a sharded connection new shards, or choose another name.",
                    key: null,
                    name);
            }

            foreach (var (shardName, _) in configs)
            {
                if (previous?.Contains(shardName[(name.Length + 1)..]) != true && _connections.ContainsKey(shardName))
                {
                    throw new ConfigurationException(
                        $"Connection '{shardName}' is already configured, and a shard of '{name}' would take its name. Dispose it first, or name the shard otherwise.",
                        key: null,
                        shardName);
                }
            }
        }

        foreach (var (shardName, config) in configs)
        {
            Configure(shardName, config, replace: previous?.Contains(shardName[(name.Length + 1)..]) == true);
        }

        _shards[name] = [.. shards.Keys.Order(StringComparer.Ordinal)];
        foreach (var dropped in previous?.Except(shards.Keys) ?? [])
        {
            // No longer chosen from here on; work already on it finishes, as for any disposed connection.
            Dispose(ShardName(name, dropped));
        }
    }

    /// <summary>Removes a sharded connection's name and returns its shards' connection names, or null when it is not sharded.</summary>
    private string[]? RemoveSharded(string name) =>
        _shards.TryRemove(name, out var shards) ? [.. shards.Select(shard => ShardName(name, shard))] : null;

    /// <summary>
    /// Chooses <paramref name="shard"/> for the sharded connection <paramref name="name"/> in this async flow until the
    /// result is disposed: models bound to <paramref name="name"/>, and <see cref="GetConnection"/> of it, use <c>name:shard</c>.
    /// </summary>
    /// <exception cref="ConfigurationException"><paramref name="name"/> is not sharded, or has no such shard.</exception>
    public IDisposable UsingShard(string name, string shard)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shard);
        _ = ShardConnectionName(name, shard);
        return ShardScope.Push(name, shard);
    }

    /// <summary>The shard names of a sharded connection, in ordinal order.</summary>
    /// <exception cref="ConfigurationException"><paramref name="name"/> is not sharded.</exception>
    public IReadOnlyList<string> ShardsOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _shards.TryGetValue(name, out var shards) ? shards : throw NotSharded(name);
    }

    /// <summary>
    /// Runs <paramref name="body"/> on every shard of <paramref name="name"/>, at most <paramref name="maxParallel"/> at once,
    /// and returns each shard's result by shard name. Every shard runs even when one fails; then the call fails with a
    /// <see cref="ShardFanOutException"/> carrying every shard's outcome.
    /// </summary>
    /// <exception cref="ShardFanOutException">One or more shards failed.</exception>
    /// <exception cref="ConfigurationException"><paramref name="name"/> is not sharded.</exception>
    public async Task<IReadOnlyDictionary<string, TResult>> ForEachShardAsync<TResult>(
        string name,
        Func<Connection, CancellationToken, Task<TResult>> body,
        int maxParallel = 4,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallel, 1);
        var shards = ShardsOf(name);
        var results = new ConcurrentDictionary<string, TResult>(StringComparer.Ordinal);
        var failures = new ConcurrentDictionary<string, Exception>(StringComparer.Ordinal);
        using var gate = new SemaphoreSlim(maxParallel);
        await Task.WhenAll(shards.Select(async shard =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                results[shard] = await body(GetConnection(ShardName(name, shard)), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                failures[shard] = exception;
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);

        if (!failures.IsEmpty)
        {
            throw new ShardFanOutException(
                name,
                results.ToDictionary(r => r.Key, r => (object?)r.Value, StringComparer.Ordinal),
                new Dictionary<string, Exception>(failures, StringComparer.Ordinal));
        }

        return new Dictionary<string, TResult>(results, StringComparer.Ordinal);
    }

    /// <summary>The connection name of one shard, checked: <c>name:shard</c>.</summary>
    internal string ShardConnectionName(string name, string shard)
    {
        var shards = ShardsOf(name);
        return shards.Contains(shard, StringComparer.Ordinal)
            ? ShardName(name, shard)
            : throw new ConfigurationException(
                $"Sharded connection '{name}' has no shard '{shard}'. Its shards are: {string.Join(", ", shards)}.",
                key: null,
                name);
    }

    private static string ShardName(string name, string shard) => name + ":" + shard;

    /// <summary>The connection for a sharded name in this flow's shard scope; null when the name is not sharded.</summary>
    /// <exception cref="ConfigurationException">The name is sharded and no shard is chosen.</exception>
    private Connection? ShardFor(string name)
    {
        if (!_shards.TryGetValue(name, out var shards))
        {
            return null;
        }

        if (ShardScope.Find(name) is { } shard)
        {
            return GetConnection(ShardConnectionName(name, shard));
        }

        throw new ConfigurationException(
            $"Connection '{name}' is sharded ({string.Join(", ", shards)}) and no shard is chosen. Choose one for a scope with "
            + $"ConnectionManager.UsingShard(\"{name}\", shard), or for one query with OnShard(shard) on the query or model; "
            + $"to run on every shard, use ConnectionManager.ForEachShardAsync(\"{name}\", ...).",
            key: null,
            name);
    }

    private static ConfigurationException NotSharded(string name) => new(
        $"Connection '{name}' is not sharded. Configure it with ConnectionManager.ConfigureShards(\"{name}\", shards) to choose shards of it.",
        key: null,
        name);
}
