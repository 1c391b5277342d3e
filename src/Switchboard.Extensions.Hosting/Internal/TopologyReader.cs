using Microsoft.Extensions.Configuration;

namespace Switchboard.Extensions.Hosting.Internal;

/// <summary>Reads <c>Switchboard:Shards:&lt;name&gt;:&lt;shard&gt;</c> and <c>Switchboard:Tenants:&lt;prefix&gt;</c>; each entry is a URL or a dictionary of keys, as a connection is.</summary>
internal static class TopologyReader
{
    public const string ShardsKey = "Shards";
    public const string TenantsKey = "Tenants";

    public static IReadOnlyList<ShardedSettings> ReadShards(IConfiguration section) =>
        [.. section.GetSection(ShardsKey).GetChildren()
            .Select(sharded => new ShardedSettings(
                sharded.Key,
                sharded.Path,
                [.. sharded.GetChildren().Select(SwitchboardConfigurationReader.ReadConnection).OrderBy(s => s.Name, StringComparer.Ordinal)]))
            .OrderBy(s => s.Name, StringComparer.Ordinal)];

    /// <summary>A configuration key cannot hold ':', the separator: the key <c>tenant</c> serves the names <c>tenant:&lt;id&gt;</c>.</summary>
    public static IReadOnlyList<TenantSettings> ReadTenants(IConfiguration section) =>
        [.. section.GetSection(TenantsKey).GetChildren()
            .Select(tenant => new TenantSettings(tenant.Key + ":", SwitchboardConfigurationReader.ReadConnection(tenant)))
            .OrderBy(t => t.Prefix, StringComparer.Ordinal)];
}
