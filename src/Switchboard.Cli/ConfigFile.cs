using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Switchboard.Cli;

/// <summary>
/// Reads the connections of an appsettings.json-style file (<c>Switchboard:Connections:&lt;name&gt;:&lt;key&gt;</c>, the
/// shape the hosting package reads) plus environment overrides (<c>Switchboard__Connections__&lt;name&gt;__&lt;key&gt;</c>),
/// and configures them on a registry. Each shard of <c>Switchboard:Shards:&lt;name&gt;:&lt;shard&gt;</c> is read as the
/// connection <c>&lt;name&gt;:&lt;shard&gt;</c> (overrides: <c>Switchboard__Shards__&lt;name&gt;__&lt;shard&gt;__&lt;key&gt;</c>).
/// Tenant templates are not read: they name no database until a tenant's id is given. Validation is the core's: each connection goes through
/// <see cref="ConnectionRegistry.Configure(string, IEnumerable{KeyValuePair{string, object}}, bool)"/>.
/// </summary>
internal static class ConfigFile
{
    public const string DefaultPath = "appsettings.json";
    private const string EnvironmentPrefix = "Switchboard__Connections__";
    private const string ShardEnvironmentPrefix = "Switchboard__Shards__";

    /// <summary>Reads the file and configures every connection in it on <paramref name="registry"/>.</summary>
    /// <exception cref="CliException">The file is missing, is not JSON, has no connections, or a connection is invalid (exit code 2).</exception>
    public static void Load(string path, ConnectionRegistry registry)
    {
        var connections = Read(path);
        foreach (var (name, settings) in connections)
        {
            try
            {
                registry.Configure(name, settings);
            }
            catch (ConfigurationException exception) when (exception.Key == "driver" && settings.TryGetValue("driver", out var driver)
                && string.Equals((driver as string)?.Trim(), "oracle", StringComparison.OrdinalIgnoreCase))
            {
                // The core's fix (reference Oracle's provider, call AddOracle) is for applications, not for users of this tool.
                throw CliException.Usage(
                    $"{path}: connection '{name}' uses the oracle driver, which this tool cannot open: Oracle's ADO.NET provider is not shipped with Switchboard. Check it from an application that registers it (registry.AddOracle).");
            }
            catch (ConfigurationException exception)
            {
                var where = exception.Key is { } key ? $" ({SectionOf(name)}:{key})" : "";
                throw CliException.Usage($"{path}: {exception.Message}{where}");
            }
        }
    }

    /// <summary>The connections of the file with the environment's overrides applied, in the file's order.</summary>
    public static IReadOnlyList<(string Name, Dictionary<string, object?> Settings)> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw CliException.Usage(
                $"Configuration file '{path}' was not found. Pass --config <path to appsettings.json>, or run the tool where that file is.");
        }

        // Configuration is case-insensitive in .NET: "Primary" and "primary" are one connection, the later value wins.
        var connections = new Dictionary<string, Dictionary<string, object?>>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        using (var document = Parse(path))
        {
            if (Property(document.RootElement, "Switchboard") is { } root && Property(root, "Connections") is { } section)
            {
                if (section.ValueKind != JsonValueKind.Object)
                {
                    throw CliException.Usage($"{path}: Switchboard:Connections must be an object with one entry per connection name.");
                }

                foreach (var connection in section.EnumerateObject())
                {
                    if (connection.Value.ValueKind != JsonValueKind.Object)
                    {
                        throw CliException.Usage(
                            $"{path}: Switchboard:Connections:{connection.Name} must be an object of settings (driver, database, ...).");
                    }

                    var settings = Settings(connections, order, connection.Name);
                    foreach (var setting in connection.Value.EnumerateObject())
                    {
                        settings[setting.Name] = ToValue(setting.Value, $"{path}: Switchboard:Connections:{connection.Name}:{setting.Name}");
                    }
                }
            }

            if (Property(document.RootElement, "Switchboard") is { } shardRoot && Property(shardRoot, "Shards") is { } shards)
            {
                ReadShards(path, shards, connections, order);
            }
        }

        ApplyEnvironment(connections, order, EnvironmentPrefix, shard: false);
        ApplyEnvironment(connections, order, ShardEnvironmentPrefix, shard: true);
        if (order.Count == 0)
        {
            throw CliException.Usage(
                $"{path}: no connections are configured. Add them under Switchboard:Connections:<name> (for example \"driver\" and \"database\").");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return [.. order.Select(name => (name, AnchorSqlitePath(connections[name], directory)))];
    }

    /// <summary>Each shard of <c>Switchboard:Shards</c> as the connection <c>&lt;name&gt;:&lt;shard&gt;</c>, in the file's order.</summary>
    private static void ReadShards(string path, JsonElement section, Dictionary<string, Dictionary<string, object?>> connections, List<string> order)
    {
        if (section.ValueKind != JsonValueKind.Object)
        {
            throw CliException.Usage($"{path}: Switchboard:Shards must be an object with one entry per sharded connection.");
        }

        foreach (var sharded in section.EnumerateObject())
        {
            if (sharded.Value.ValueKind != JsonValueKind.Object)
            {
                throw CliException.Usage($"{path}: Switchboard:Shards:{sharded.Name} must be an object with one entry per shard.");
            }

            foreach (var shard in sharded.Value.EnumerateObject())
            {
                if (shard.Value.ValueKind != JsonValueKind.Object)
                {
                    throw CliException.Usage(
                        $"{path}: Switchboard:Shards:{sharded.Name}:{shard.Name} must be an object of settings (driver, database, ...) for this tool; it does not read the URL form.");
                }

                var settings = Settings(connections, order, sharded.Name + ":" + shard.Name);
                foreach (var setting in shard.Value.EnumerateObject())
                {
                    settings[setting.Name] = ToValue(setting.Value, $"{path}: Switchboard:Shards:{sharded.Name}:{shard.Name}:{setting.Name}");
                }
            }
        }
    }

    /// <summary>The configuration section a connection was read from: a shard <c>orders:eu</c> from <c>Switchboard:Shards:orders:eu</c>.</summary>
    private static string SectionOf(string name) =>
        name.Contains(':', StringComparison.Ordinal) ? "Switchboard:Shards:" + name : "Switchboard:Connections:" + name;

    private static JsonDocument Parse(string path)
    {
        try
        {
            // What Microsoft.Extensions.Configuration.Json accepts: comments and trailing commas.
            return JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException exception)
        {
            // JsonException's message can quote the text it choked on, which may be a password: only the position is shown.
            var line = exception.LineNumber is { } l ? l + 1 : 0;
            var column = exception.BytePositionInLine is { } b ? b + 1 : 0;
            throw CliException.Usage($"{path} is not valid JSON (line {line}, byte {column}). Fix the file, or pass another with --config.");
        }
        catch (IOException exception)
        {
            throw CliException.Usage($"Configuration file '{path}' could not be read: {exception.GetType().Name}. Check that it exists and is readable.");
        }
        catch (UnauthorizedAccessException)
        {
            throw CliException.Usage($"Configuration file '{path}' could not be read: access denied. Check its permissions.");
        }
    }

    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        JsonElement? found = null;
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                found = property.Value;
            }
        }

        return found;
    }

    private static Dictionary<string, object?> Settings(Dictionary<string, Dictionary<string, object?>> connections, List<string> order, string name)
    {
        if (!connections.TryGetValue(name, out var settings))
        {
            settings = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            connections[name] = settings;
            order.Add(name);
        }

        return settings;
    }

    /// <summary>
    /// A JSON value as .NET configuration sees it, so that the tool accepts exactly what the application does: every
    /// scalar as its text (a number's raw text, so nothing is rounded), null, or a dictionary (<c>ssl</c>).
    /// </summary>
    private static object? ToValue(JsonElement value, string where) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => null,
        JsonValueKind.Object => value.EnumerateObject().ToDictionary(p => p.Name, p => ToValue(p.Value, where + ":" + p.Name), StringComparer.OrdinalIgnoreCase),
        // A list (replicas) becomes a dictionary keyed "0", "1", ..., as .NET configuration binds it.
        JsonValueKind.Array => value.EnumerateArray().Select((item, index) => (item, index))
            .ToDictionary(p => p.index.ToString(CultureInfo.InvariantCulture), p => ToValue(p.item, where + ":" + p.index.ToString(CultureInfo.InvariantCulture)), StringComparer.Ordinal),
        _ => throw CliException.Usage($"{where} has a value this tool cannot read."),
    };

    /// <summary>
    /// Environment variables override the file, as in .NET configuration; <c>__</c> separates the levels. A shard's
    /// variable (<paramref name="shard"/>) names the sharded connection and the shard before the key.
    /// </summary>
    private static void ApplyEnvironment(Dictionary<string, Dictionary<string, object?>> connections, List<string> order, string prefix, bool shard)
    {
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is not string variable || !variable.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var parts = variable[prefix.Length..].Split("__");
            var nameParts = shard ? 2 : 1;
            if (parts.Length < nameParts + 1 || parts.Any(string.IsNullOrEmpty))
            {
                throw CliException.Usage(shard
                    ? $"Environment variable {variable} does not name a setting. Use Switchboard__Shards__<name>__<shard>__<key>, for example Switchboard__Shards__orders__eu__password."
                    : $"Environment variable {variable} does not name a setting. Use Switchboard__Connections__<name>__<key>, for example Switchboard__Connections__primary__password.");
            }

            var given = string.Join(':', parts[..nameParts]);
            var name = connections.Keys.FirstOrDefault(n => string.Equals(n, given, StringComparison.OrdinalIgnoreCase)) ?? given;
            IDictionary<string, object?> target = Settings(connections, order, name);
            foreach (var level in parts[nameParts..^1])
            {
                if (!target.TryGetValue(level, out var nested) || nested is not IDictionary<string, object?> inner)
                {
                    inner = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                    target[level] = inner;
                }

                target = inner;
            }

            target[parts[^1]] = entry.Value as string;
        }
    }

    /// <summary>
    /// A relative SQLite path is taken from the configuration file's folder, as the application that owns the file sees
    /// it, not from wherever the tool happens to run: otherwise a check or statement would reach a different file.
    /// </summary>
    private static Dictionary<string, object?> AnchorSqlitePath(Dictionary<string, object?> settings, string directory)
    {
        if (SqliteFile(settings) is { } database && !Path.IsPathRooted(database))
        {
            settings["database"] = Path.GetFullPath(Path.Combine(directory, database));
        }

        // A SQLite replica is another file: a relative one is anchored the same way.
        if (SqliteFile(settings) is not null && settings.TryGetValue("replicas", out var replicas) && replicas is Dictionary<string, object?> list)
        {
            foreach (var replica in list.Values.OfType<Dictionary<string, object?>>())
            {
                if (replica.TryGetValue("database", out var file) && file is string path && path.Length > 0 && path != ":memory:" && !Path.IsPathRooted(path))
                {
                    replica["database"] = Path.GetFullPath(Path.Combine(directory, path));
                }
            }
        }

        return settings;
    }

    /// <summary>The database file of a SQLite connection, or null for another engine or an in-memory database.</summary>
    public static string? SqliteFile(IReadOnlyDictionary<string, object?> settings) =>
        settings.TryGetValue("driver", out var driver) && driver is string d && d.Trim().ToLowerInvariant() is "sqlite" or "sqlite3"
        && settings.TryGetValue("database", out var database) && database is string path && path.Length > 0
        && path != ":memory:" && !path.Contains("mode=memory", StringComparison.OrdinalIgnoreCase)
            ? path
            : null;

    /// <summary>Invariant text for a setting shown in a table.</summary>
    public static string Seconds(TimeSpan? value) =>
        value is { } span ? span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s" : "never";
}
