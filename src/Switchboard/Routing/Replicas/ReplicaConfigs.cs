using System.Reflection;

namespace Switchboard.Routing.Replicas;

/// <summary>Turns the <c>replicas</c> of a primary's configuration into complete configurations: each inherits what it does not set.</summary>
internal static class ReplicaConfigs
{
    // Keys that only a primary has: a replica that sets one is refused, so that the setting is not silently ignored.
    private static readonly string[] PrimaryOnly = ["replicas", "read_your_writes", "sticky_window", "max_replica_lag", "replica_check_interval"];

    private static readonly PropertyInfo[] Inherited = typeof(ConnectionConfig)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanRead && p.CanWrite && p.Name is not (nameof(ConnectionConfig.Replicas) or nameof(ConnectionConfig.Weight)
            or nameof(ConnectionConfig.ReadYourWrites) or nameof(ConnectionConfig.StickyWindow) or nameof(ConnectionConfig.MaxReplicaLag)
            or nameof(ConnectionConfig.ReplicaCheckInterval)))
        .ToArray();

    private static readonly ConnectionConfig Defaults = new();

    /// <summary>The replica at <paramref name="index"/> with every key it does not set taken from <paramref name="primary"/>.</summary>
    public static ConnectionConfig Resolve(string name, ConnectionConfig primary, ConnectionConfig replica, int index)
    {
        if (replica is null)
        {
            throw new ConfigurationException(
                $"Connection '{name}': replica {index} is null. Remove it from replicas, or give its host and port.", "replicas", name);
        }

        foreach (var key in PrimaryOnly)
        {
            if (replica.WasSet(key) || (key == "replicas" && replica.Replicas.Count > 0) || SetOnObject(replica, key))
            {
                throw new ConfigurationException(
                    $"Connection '{name}': {Describe(index, replica.Host ?? primary.Host)} sets '{key}', which applies to the primary only. Move '{key}' to the configuration of '{name}' itself.",
                    key,
                    name);
            }
        }

        var resolved = primary.Clone();
        resolved.Replicas = [];
        foreach (var property in Inherited)
        {
            var value = property.GetValue(replica);
            if (replica.WasSet(property.Name) || !Equals(value, property.GetValue(Defaults)))
            {
                property.SetValue(resolved, value);
            }
        }

        foreach (var (key, value) in replica.EngineOptions)
        {
            resolved.SetOption(key, value);
        }

        resolved.Weight = replica.Weight;
        if (replica.Weight is < 1 or > 1000)
        {
            throw new ConfigurationException(
                $"Connection '{name}': {Describe(index, resolved.Host)} has weight {replica.Weight}; weight must be between 1 and 1000. Give the replica's share of reads relative to the others (default 1).",
                "weight",
                name);
        }

        return resolved;
    }

    /// <summary>How messages name a replica: by index and host.</summary>
    public static string Describe(int index, string? host) => $"replica {index} (host {host ?? "localhost"})";

    /// <summary>Checks the primary-only keys of a primary.</summary>
    public static void ValidatePrimary(string name, ConnectionConfig config)
    {
        if (config.Weight != 1)
        {
            throw new ConfigurationException(
                $"Connection '{name}': 'weight' applies to a replica, not to the primary. Set it in an entry of replicas, or remove it.", "weight", name);
        }

        Require(name, "sticky_window", config.StickyWindow, allowZero: true);
        Require(name, "max_replica_lag", config.MaxReplicaLag, allowZero: false);
        Require(name, "replica_check_interval", config.ReplicaCheckInterval, allowZero: false);
    }

    private static void Require(string name, string key, TimeSpan value, bool allowZero)
    {
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
        {
            throw new ConfigurationException(
                $"Connection '{name}': {key} must be {(allowZero ? "zero or more" : "more than zero")} seconds, but was {value.TotalSeconds}.", key, name);
        }
    }

    private static bool SetOnObject(ConnectionConfig replica, string key) => key switch
    {
        "read_your_writes" => replica.ReadYourWrites is not null,
        "sticky_window" => replica.StickyWindow != ConnectionConfig.DefaultStickyWindow,
        "max_replica_lag" => replica.MaxReplicaLag != ConnectionConfig.DefaultMaxReplicaLag,
        "replica_check_interval" => replica.ReplicaCheckInterval != ConnectionConfig.DefaultReplicaCheckInterval,
        _ => false,
    };
}
