namespace Switchboard.Extensions.Hosting.Internal;

/// <summary>
/// Everything read from the <c>Switchboard</c> section: connections (with their replicas), sharded connections and
/// tenant resolvers, each read by its own method of <see cref="SwitchboardConfigurationReader"/> or <see cref="TopologyReader"/>.
/// </summary>
internal sealed record SwitchboardSettings(IReadOnlyList<ConnectionSettings> Connections, string? DefaultConnection)
{
    /// <summary>The sharded connections of <c>Switchboard:Shards</c>, by name.</summary>
    public IReadOnlyList<ShardedSettings> Shards { get; init; } = [];

    /// <summary>The tenant templates of <c>Switchboard:Tenants</c>.</summary>
    public IReadOnlyList<TenantSettings> Tenants { get; init; } = [];
}

/// <summary>One sharded connection: its name, its configuration path and its shards (each read as a connection is).</summary>
internal sealed record ShardedSettings(string Name, string Path, IReadOnlyList<ConnectionSettings> Shards);

/// <summary>
/// One tenant resolver: names starting with <see cref="Prefix"/> are configured from <see cref="Template"/>, with
/// <c>{tenant}</c> replaced by the rest of the name.
/// </summary>
internal sealed record TenantSettings(string Prefix, ConnectionSettings Template);
