using Switchboard.Records;
using Switchboard.Routing;

namespace Switchboard;

// Choosing one shard of a sharded connection for one query.
public sealed partial class Query<T>
{
    /// <summary>
    /// Runs this query on one shard of the model's sharded connection (<c>name:shard</c>), whatever <c>UsingShard</c> says.
    /// </summary>
    /// <param name="shard">The shard's name, as given to <c>ConnectionManager.ConfigureShards</c>.</param>
    /// <exception cref="ConfigurationException">The model's connection is not sharded, or has no such shard.</exception>
    public Query<T> OnShard(string shard)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(shard);
        var ambient = AmbientContext.Current;
        var registry = ambient?.Registry ?? ConnectionRegistry.Default;
        var name = _connectionName
            ?? ambient?.FindScope(typeof(T))
            ?? ModelInfo<T>.Info.ConnectionName
            ?? registry.DefaultConnectionName
            ?? throw new ConfigurationException(
                $"Model {typeof(T).Name} has no connection, so it has no shards. Mark the model [Connection(\"name\")] with a name configured by ConnectionManager.ConfigureShards.",
                key: null);
        return Using(registry.ShardConnectionName(name, shard));
    }
}
