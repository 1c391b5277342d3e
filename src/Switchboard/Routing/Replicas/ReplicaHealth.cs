namespace Switchboard;

/// <summary>Whether a replica takes reads now.</summary>
public enum ReplicaHealth
{
    /// <summary>It answers and is within <c>max_replica_lag</c>: it takes reads.</summary>
    Healthy,

    /// <summary>It answers but is further behind than <c>max_replica_lag</c>: skipped until it catches up.</summary>
    Lagging,

    /// <summary>It failed to connect, or a statement lost its connection: out of rotation until a check succeeds.</summary>
    Down,
}
