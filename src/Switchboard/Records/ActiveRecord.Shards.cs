namespace Switchboard;

// Choosing one shard of a sharded connection for one query.
public abstract partial class ActiveRecord<T>
{
    /// <summary>A query running on one shard of the model's sharded connection (<c>name:shard</c>), for one query only.</summary>
    /// <inheritdoc cref="Query{T}.OnShard(string)"/>
    public static Query<T> OnShard(string shard) => new Query<T>(null).OnShard(shard);
}
