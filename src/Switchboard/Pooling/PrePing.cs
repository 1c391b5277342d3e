namespace Switchboard;

/// <summary>When the pool checks that a connection is alive before handing it out (<c>pool_pre_ping</c>).</summary>
public enum PrePing
{
    /// <summary>Only when it has been idle longer than <see cref="ConnectionConfig.PoolPrePingWindow"/> (the default).</summary>
    Idle,

    /// <summary>At every checkout: safest, one round trip more each time.</summary>
    Always,

    /// <summary>Never: a dead connection is found by the first statement, which fails with a transient error.</summary>
    Never,
}
