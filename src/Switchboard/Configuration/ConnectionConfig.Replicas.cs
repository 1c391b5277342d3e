namespace Switchboard;

// The replica keys: the replicas of a primary and how reads are routed to them.
public sealed partial class ConnectionConfig
{
    /// <summary>The default <see cref="StickyWindow"/>.</summary>
    public static readonly TimeSpan DefaultStickyWindow = ConfigDefaults.StickyWindow;

    /// <summary>The default <see cref="MaxReplicaLag"/>.</summary>
    public static readonly TimeSpan DefaultMaxReplicaLag = ConfigDefaults.MaxReplicaLag;

    /// <summary>The default <see cref="ReplicaCheckInterval"/>.</summary>
    public static readonly TimeSpan DefaultReplicaCheckInterval = ConfigDefaults.ReplicaCheckInterval;

    // The keys set explicitly (dictionary, URL, environment), so that a replica that sets a key to its default value keeps it.
    private HashSet<string>? _setKeys;

    /// <summary>
    /// The read replicas of this (primary) connection (key <c>replicas</c>: a list of dictionaries or URLs). Each replica
    /// inherits every key it does not set from the primary, so usually only <see cref="Host"/> and <see cref="Port"/> are given.
    /// Reads outside transactions go to healthy replicas; writes never do.
    /// </summary>
    /// <value>Empty: every statement goes to the primary.</value>
    public IList<ConnectionConfig> Replicas { get; set; } = [];

    /// <summary>On a replica: its share of the reads, relative to the other replicas' weights.</summary>
    /// <value>1. Between 1 and 1000.</value>
    public int Weight { get; set; } = 1;

    /// <summary>On a primary with replicas: how a flow's reads are kept from missing its own writes.</summary>
    /// <value>Null: <see cref="Switchboard.ReadYourWrites.Causal"/> where the engine reports replication positions, else <see cref="Switchboard.ReadYourWrites.Window"/>.</value>
    public ReadYourWrites? ReadYourWrites { get; set; }

    /// <summary>
    /// On a primary with replicas: in <c>window</c> mode, how long after a flow's last write its reads go to the primary;
    /// in <c>causal</c> mode, how long after it a replica that has not yet been seen to replay the write may be asked.
    /// </summary>
    /// <value>2 seconds.</value>
    public TimeSpan StickyWindow { get; set; } = DefaultStickyWindow;

    /// <summary>On a primary with replicas: a replica further behind than this is skipped.</summary>
    /// <value>10 seconds.</value>
    public TimeSpan MaxReplicaLag { get; set; } = DefaultMaxReplicaLag;

    /// <summary>On a primary with replicas: how often each replica's health, lag and position are checked.</summary>
    /// <value>2 seconds.</value>
    public TimeSpan ReplicaCheckInterval { get; set; } = DefaultReplicaCheckInterval;

    /// <summary>Whether the key (snake_case) was set through the dictionary, URL or environment form.</summary>
    /// <remarks>Keys are compared without underscores, so that a property's name finds its key (<c>PoolSize</c>, <c>pool_size</c>).</remarks>
    internal bool WasSet(string key) => _setKeys?.Contains(key.Replace("_", "", StringComparison.Ordinal)) == true;

    internal void MarkSet(string key) => (_setKeys ??= new(StringComparer.OrdinalIgnoreCase)).Add(key.Replace("_", "", StringComparison.Ordinal));

    private void CloneReplicas(ConnectionConfig copy)
    {
        copy._setKeys = _setKeys is null ? null : new HashSet<string>(_setKeys, StringComparer.OrdinalIgnoreCase);
        copy.Replicas = Replicas is null ? [] : Replicas.Select(r => r?.Clone()!).ToList();
    }
}
