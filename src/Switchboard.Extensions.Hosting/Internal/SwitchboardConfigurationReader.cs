using System.Text;
using Microsoft.Extensions.Configuration;

namespace Switchboard.Extensions.Hosting.Internal;

/// <summary>
/// Reads the <c>Switchboard</c> configuration section into the dictionary form form, so that the core validates
/// configuration files exactly as it validates code. Values stay strings: the core reads numbers, booleans and
/// durations from strings. A nested section (<c>ssl</c>) becomes a nested dictionary.
/// </summary>
internal static class SwitchboardConfigurationReader
{
    public const string ConnectionsKey = "Connections";
    public const string DefaultConnectionKey = "DefaultConnection";

    public static SwitchboardSettings Read(IConfiguration section)
    {
        var connections = section.GetSection(ConnectionsKey).GetChildren()
            .Select(ReadConnection)
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        var defaultConnection = section[DefaultConnectionKey];
        return new SwitchboardSettings(connections, string.IsNullOrWhiteSpace(defaultConnection) ? null : defaultConnection.Trim())
        {
            Shards = TopologyReader.ReadShards(section),
            Tenants = TopologyReader.ReadTenants(section),
        };
    }

    public static ConnectionSettings ReadConnection(IConfigurationSection connection)
    {
        var values = ReadMap(connection);
        if (values.Count == 0 && !string.IsNullOrWhiteSpace(connection.Value))
        {
            // "Connections": { "reports": "postgresql://user:pw@host/db?pool_size=5" }
            return new ConnectionSettings(connection.Key, connection.Path, values, connection.Value, "URL=" + connection.Value);
        }

        var fingerprint = new StringBuilder();
        Fingerprint(values, fingerprint);
        return new ConnectionSettings(connection.Key, connection.Path, values, null, fingerprint.ToString());
    }

    private static Dictionary<string, object?> ReadMap(IConfigurationSection section)
    {
        var map = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            var grandchildren = child.GetChildren().Any();
            map[child.Key] = grandchildren ? ReadMap(child) : child.Value;
        }

        return map;
    }

    // Only compared for equality, never shown: it holds the password.
    private static void Fingerprint(IReadOnlyDictionary<string, object?> values, StringBuilder into)
    {
        foreach (var (key, value) in values.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
        {
            into.Append(key.ToUpperInvariant()).Append('=');
            if (value is IReadOnlyDictionary<string, object?> nested)
            {
                into.Append('{');
                Fingerprint(nested, into);
                into.Append('}');
            }
            else
            {
                var text = value as string;
                into.Append(text?.Length ?? -1).Append(':').Append(text);
            }

            into.Append(';');
        }
    }
}
