namespace Switchboard;

/// <summary>The names under which Switchboard reports metrics and traces, for OpenTelemetry's <c>AddMeter</c> and <c>AddSource</c>.</summary>
public static class SwitchboardDiagnostics
{
    /// <summary>The name of Switchboard's <c>Meter</c> and <c>ActivitySource</c> (one client span per statement, named after the driver).</summary>
    public const string Name = "Switchboard";

    /// <summary>Connections by state (<c>db.client.connection.state</c> = <c>idle</c> or <c>used</c>), per pool.</summary>
    public const string ConnectionCount = "db.client.connection.count";

    /// <summary>The most connections a pool may open (<c>pool_size</c>).</summary>
    public const string ConnectionMax = "db.client.connection.max";

    /// <summary>Callers waiting for a connection now.</summary>
    public const string PendingRequests = "db.client.connection.pending_requests";

    /// <summary>Checkouts that gave up after <c>pool_timeout</c>.</summary>
    public const string Timeouts = "db.client.connection.timeouts";

    /// <summary>How long opening a physical connection took, in seconds.</summary>
    public const string CreateTime = "db.client.connection.create_time";

    /// <summary>How long a checkout waited for a connection, in seconds.</summary>
    public const string WaitTime = "db.client.connection.wait_time";

    /// <summary>How long a connection was held between checkout and check-in, in seconds.</summary>
    public const string UseTime = "db.client.connection.use_time";

    /// <summary>Pools open now across every registry: made on first use and not evicted or disposed since.</summary>
    public const string PoolsOpen = "switchboard.pools.open";

    /// <summary>Pools evicted, idle past <c>evict_after</c> or least recently used over <c>MaxOpenPools</c>; tagged with the pool name and <see cref="RegistryIdTag"/>.</summary>
    public const string PoolsEvicted = "switchboard.pools.evicted";

    /// <summary>The tag naming the pool on every instrument: the connection's name.</summary>
    public const string PoolNameTag = "db.client.connection.pool.name";

    /// <summary>
    /// The tag giving the <see cref="ConnectionRegistry.Id"/> of the registry a pool belongs to, on every instrument that
    /// carries <see cref="PoolNameTag"/>, so that two registries that each configure a connection of the same name report apart.
    /// </summary>
    public const string RegistryIdTag = "switchboard.registry.id";

    /// <summary>The tag giving a connection's state on <see cref="ConnectionCount"/>.</summary>
    public const string StateTag = "db.client.connection.state";

    /// <summary>Failed work run again by a connection's <c>retry</c> setting, tagged with <see cref="PoolNameTag"/>, <see cref="RegistryIdTag"/> and <see cref="RetryReasonTag"/>.</summary>
    public const string Retries = "switchboard.retries";

    /// <summary>Why work was retried, on <see cref="Retries"/>: <c>connect</c>, <c>transient</c>, <c>deadlock</c> or <c>serialization_failure</c>.</summary>
    public const string RetryReasonTag = "switchboard.retry.reason";

    /// <summary>Statements of connections with replicas, by connection (<see cref="PoolNameTag"/>, <see cref="RegistryIdTag"/>), where they went (tag <see cref="RoutingTargetTag"/>) and why (<see cref="RoutingReasonTag"/>).</summary>
    public const string RoutingDecisions = "switchboard.routing.decisions";

    /// <summary>The tag giving a routing decision's target: <c>primary</c> or <c>replica</c>.</summary>
    public const string RoutingTargetTag = "target";

    /// <summary>
    /// The tag giving a routing decision's reason: <c>read</c> (a replica took a read), <c>write</c>, <c>transaction</c>,
    /// <c>forced</c> (<c>UsingPrimary</c>, <c>OnPrimary</c>, <c>UsingReplicas</c>), <c>causal</c>, <c>window</c>, <c>lag</c> or <c>down</c>.
    /// </summary>
    public const string RoutingReasonTag = "reason";
}
