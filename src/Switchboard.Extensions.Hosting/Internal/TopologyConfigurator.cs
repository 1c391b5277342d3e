using System.Text.RegularExpressions;

namespace Switchboard.Extensions.Hosting.Internal;

/// <summary>
/// Applies <c>Switchboard:Shards</c> (<see cref="ConnectionRegistry.ConfigureShards(string, IReadOnlyDictionary{string, object}, bool)"/>) and <c>Switchboard:Tenants</c>
/// (<see cref="ConnectionRegistry.ConfigureResolver"/>) to a registry. Every shard and template is read before anything is
/// configured, so an invalid one configures nothing of its entry; errors name the configuration path.
/// </summary>
internal static partial class TopologyConfigurator
{
    /// <summary>The text replaced by the tenant's id in a template.</summary>
    public const string Placeholder = "{tenant}";

    /// <summary>
    /// Configures a sharded connection, or with <paramref name="replace"/> gives an existing one these shards, and returns
    /// its shards' connections (named <c>name:shard</c>). An invalid shard changes nothing.
    /// </summary>
    /// <exception cref="ConfigurationException">A shard is invalid; the message starts with its configuration path.</exception>
    public static IReadOnlyList<Connection> ConfigureShards(ConnectionRegistry registry, ShardedSettings sharded, bool replace = false)
    {
        var shards = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var shard in sharded.Shards)
        {
            shards[shard.Name] = Read(shard, shard.Url, shard.Values);
        }

        try
        {
            registry.ConfigureShards(sharded.Name, shards, replace);
        }
        catch (ConfigurationException exception)
        {
            var shard = sharded.Shards.FirstOrDefault(s => exception.ConnectionName == sharded.Name + ":" + s.Name);
            var path = shard is null ? sharded.Path : shard.Url is null ? shard.PathOf(exception.Key) : shard.Path;
            throw new ConfigurationException($"Configuration '{path}' is invalid: {exception.Message}", exception.Key, sharded.Name, exception);
        }

        return [.. sharded.Shards.Select(s => registry.GetConnection(sharded.Name + ":" + s.Name))];
    }

    /// <summary>Registers a tenant template: <c>prefix + id</c> is configured on first use with <c>{tenant}</c> replaced by the id.</summary>
    /// <exception cref="ConfigurationException">The template is invalid or holds no <c>{tenant}</c>; the message starts with its configuration path.</exception>
    public static void ConfigureTenants(ConnectionRegistry registry, TenantSettings tenant)
    {
        var template = tenant.Template;
        if (!(template.Url?.Contains(Placeholder, StringComparison.Ordinal) ?? Mentions(template.Values)))
        {
            throw new ConfigurationException(
                $"Configuration '{template.Path}' holds no {Placeholder}, so every tenant would share one database. "
                + $"Put {Placeholder} where the tenant's id goes (for example in database: \"/data/{Placeholder}.db\").",
                key: null);
        }

        // Read once with a sample id, so that a wrong key or value fails at start rather than at the first tenant.
        _ = Resolve(template, "example");
        registry.ConfigureResolver(tenant.Prefix, name =>
        {
            var id = name[tenant.Prefix.Length..];
            if (!TenantId().IsMatch(id))
            {
                throw new ConfigurationException(
                    $"Tenant '{name}' cannot be configured from '{template.Path}': the part after '{tenant.Prefix}' must be 1 to 128 letters, digits, '-' or '_'.",
                    key: null,
                    name);
            }

            return Resolve(template, id);
        });
    }

    private static ConnectionConfig Resolve(ConnectionSettings template, string id) =>
        template.Url is { } url
            ? Read(template, url.Replace(Placeholder, Uri.EscapeDataString(id), StringComparison.Ordinal), template.Values)
            : Read(template, null, Substitute(template.Values, id));

    /// <summary>Reads one entry's configuration; errors name its path (and key, for the dictionary form).</summary>
    private static ConnectionConfig Read(ConnectionSettings entry, string? url, IReadOnlyDictionary<string, object?> values)
    {
        try
        {
            return url is not null ? ConnectionConfig.Parse(url) : ConnectionConfig.FromDictionary(values);
        }
        catch (ConfigurationException exception)
        {
            var path = url is null ? entry.PathOf(exception.Key) : entry.Path;
            throw new ConfigurationException($"Configuration '{path}' is invalid: {exception.Message}", exception.Key, entry.Name, exception);
        }
    }

    private static bool Mentions(IReadOnlyDictionary<string, object?> values) => values.Values.Any(value => value switch
    {
        string text => text.Contains(Placeholder, StringComparison.Ordinal),
        IReadOnlyDictionary<string, object?> nested => Mentions(nested),
        _ => false,
    });

    private static Dictionary<string, object?> Substitute(IReadOnlyDictionary<string, object?> values, string id) =>
        values.ToDictionary(
            p => p.Key,
            p => p.Value switch
            {
                string text => text.Replace(Placeholder, id, StringComparison.Ordinal),
                IReadOnlyDictionary<string, object?> nested => Substitute(nested, id),
                var other => other,
            },
            StringComparer.OrdinalIgnoreCase);

    // No '.', '/' or '\': the id may land in a file path or a URL, and must not leave the template's folder or database.
    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex TenantId();
}
