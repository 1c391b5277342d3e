namespace Switchboard;

/// <summary>Why a physical connection was closed or discarded (<see cref="ConnectionEventArgs.CloseReason"/>).</summary>
public enum ConnectionCloseReason
{
    /// <summary>It reached its age (<c>pool_recycle</c>), or its pool was cleared since it opened.</summary>
    Recycled,

    /// <summary>It stayed idle longer than <c>idle_timeout</c>.</summary>
    Idle,

    /// <summary>Its pool was disposed.</summary>
    Disposed,

    /// <summary>Its pool was disposed and it was still in use after the grace period: it was closed under its holder.</summary>
    ForcedDispose,

    /// <summary>It was given back in a state that cannot be trusted (a failed rollback, a cancelled statement, a failed check).</summary>
    Broken,

    /// <summary>The driver reported it lost.</summary>
    Disconnected,

    /// <summary>It was idle and older than a connection found lost, so it was discarded with it.</summary>
    Invalidated,

    /// <summary>Its check before a checkout (<c>pool_pre_ping</c>) failed.</summary>
    FailedPrePing,

    /// <summary>Its check before a checkout was cancelled by the caller, which leaves its state unknown.</summary>
    CancelledPrePing,

    /// <summary>A statement on it passed <c>command_timeout</c>.</summary>
    CommandTimeout,

    /// <summary>Its connection was configured again with <c>replace: true</c>.</summary>
    Replaced,

    /// <summary>Its pool was evicted (idle past <c>evict_after</c>, or least recently used over <c>MaxOpenPools</c>).</summary>
    Evicted,

    /// <summary>It was idle while a pool on the same host waited under <c>MaxConnectionsPerHost</c>.</summary>
    HostCap,
}
