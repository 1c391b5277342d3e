using System.Globalization;

namespace Switchboard;

/// <summary>Reads the <c>replicas</c> key: a list of dictionaries, URLs or <see cref="ConnectionConfig"/> objects.</summary>
internal static class ReplicaKeys
{
    public static List<ConnectionConfig> ReadReplicas(object? value, string key, string source)
    {
        var replicas = new List<ConnectionConfig>();
        switch (value)
        {
            case null:
                return replicas;
            case string text:
                // URL and environment form: URLs separated by spaces or semicolons.
                foreach (var url in text.Split([' ', ';', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    replicas.Add(ReadOne(url, replicas.Count, key, source));
                }

                return replicas;
            case IEnumerable<KeyValuePair<string, object?>> map when map.Any() && map.All(p => int.TryParse(p.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _)):
                // Configuration sections bind lists as dictionaries keyed "0", "1", ...
                foreach (var item in map.OrderBy(p => int.Parse(p.Key, CultureInfo.InvariantCulture)))
                {
                    replicas.Add(ReadOne(item.Value, replicas.Count, key, source));
                }

                return replicas;
            case IEnumerable<KeyValuePair<string, object?>>:
                throw ConfigKeys.WrongType(key, source, "a list of replicas (dictionaries or URLs), not a single dictionary; wrap it in a list", value);
            case System.Collections.IEnumerable items:
                foreach (var item in items)
                {
                    replicas.Add(ReadOne(item, replicas.Count, key, source));
                }

                return replicas;
            default:
                throw ConfigKeys.WrongType(key, source, "a list of replicas (dictionaries or URLs)", value);
        }
    }

    private static ConnectionConfig ReadOne(object? item, int index, string key, string source)
    {
        try
        {
            return item switch
            {
                ConnectionConfig config => config.Clone(),
                string url => ConnectionConfig.Parse(url),
                IEnumerable<KeyValuePair<string, object?>> settings => ConnectionConfig.FromDictionary(settings),
                IEnumerable<KeyValuePair<string, string>> strings => ConnectionConfig.FromDictionary(strings.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value))),
                _ => throw new ConfigurationException(
                    $"Replica {index} must be a dictionary of keys (host, port, ...) or a URL, but was {item?.GetType().Name ?? "null"}. Change item {index} of '{key}'.",
                    key),
            };
        }
        catch (ConfigurationException exception) when (!exception.Message.StartsWith("Replica ", StringComparison.Ordinal))
        {
            throw new ConfigurationException($"Replica {index} (configuration {source} '{key}'): {exception.Message}", exception.Key ?? key, exception.ConnectionName, exception.InnerException);
        }
    }
}
