using System.Globalization;

namespace Switchboard;

/// <summary>
/// The configuration's snake_case keys, how each is read, and the suggestions made for a misspelt one. The keys common
/// to every engine are listed here; an engine's own keys are declared by its driver (<see cref="Dialects.DatabaseDriver.Options"/>)
/// and found through <see cref="Dialects.DriverCatalog"/>.
/// </summary>
internal static class ConfigKeys
{
    private delegate void Setter(ConnectionConfig config, object? value, string key, string source);

    private static readonly Dictionary<string, Setter> Setters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["driver"] = (c, v, k, s) => c.Driver = ReadString(v, k, s),
        ["database"] = (c, v, k, s) => c.Database = ReadString(v, k, s),
        ["host"] = (c, v, k, s) => c.Host = ReadString(v, k, s),
        ["port"] = (c, v, k, s) => c.Port = ReadInt(v, k, s),
        ["username"] = (c, v, k, s) => c.Username = ReadString(v, k, s),
        ["password"] = (c, v, k, s) => c.Password = ReadString(v, k, s, secret: true),
        ["pool_size"] = (c, v, k, s) => c.PoolSize = ReadInt(v, k, s) ?? ConfigDefaults.PoolSize,
        ["pool_timeout"] = (c, v, k, s) => c.PoolTimeout = ReadSeconds(v, k, s) ?? ConfigDefaults.PoolTimeout,
        ["pool_recycle"] = (c, v, k, s) => c.PoolRecycle = ReadSeconds(v, k, s, minusOneIsNever: true),
        ["min_idle"] = (c, v, k, s) => c.MinIdle = ReadInt(v, k, s) ?? ConfigDefaults.MinIdle,
        ["idle_timeout"] = (c, v, k, s) => c.IdleTimeout = ReadSeconds(v, k, s, minusOneIsNever: true),
        ["pool_pre_ping"] = (c, v, k, s) => c.PoolPrePing = ReadEnum<PrePing>(v, k, s) ?? ConfigDefaults.PoolPrePing,
        ["pool_pre_ping_window"] = (c, v, k, s) => c.PoolPrePingWindow = ReadSeconds(v, k, s) ?? ConfigDefaults.PoolPrePingWindow,
        ["leak_detection_threshold"] = (c, v, k, s) => c.LeakDetectionThreshold = ReadSeconds(v, k, s, minusOneIsNever: true),
        ["checkout_order"] = (c, v, k, s) => c.CheckoutOrder = ReadEnum<CheckoutOrder>(v, k, s) ?? ConfigDefaults.CheckoutOrder,
        ["naming"] = (c, v, k, s) => c.Naming = ReadEnum<NamingConvention>(v, k, s) ?? ConfigDefaults.Naming,
        ["init_command"] = (c, v, k, s) => c.InitCommand = ReadString(v, k, s),
        ["echo"] = (c, v, k, s) => c.Echo = ReadBool(v, k, s) ?? ConfigDefaults.Echo,
        ["echo_parameters"] = (c, v, k, s) => c.EchoParameters = ReadBool(v, k, s) ?? ConfigDefaults.Echo,
        ["connect_timeout"] = (c, v, k, s) => c.ConnectTimeout = ReadSeconds(v, k, s) ?? ConfigDefaults.ConnectTimeout,
        ["command_timeout"] = (c, v, k, s) => c.CommandTimeout = ReadSeconds(v, k, s) ?? ConfigDefaults.CommandTimeout,
        ["evict_after"] = (c, v, k, s) => c.EvictAfter = ReadSeconds(v, k, s) is { } t && t == TimeSpan.FromSeconds(-1) ? Timeout.InfiniteTimeSpan : ReadSeconds(v, k, s),
        ["application_name"] = (c, v, k, s) => c.ApplicationName = ReadString(v, k, s),
        ["retry"] = (c, v, k, s) => c.Retry = Resilience.RetrySettings.Read(v, s),
        ["replicas"] = (c, v, k, s) => c.Replicas = ReplicaKeys.ReadReplicas(v, k, s),
        ["weight"] = (c, v, k, s) => c.Weight = ReadInt(v, k, s) ?? ConfigDefaults.Weight,
        ["read_your_writes"] = (c, v, k, s) => c.ReadYourWrites = ReadEnum<ReadYourWrites>(v, k, s),
        ["sticky_window"] = (c, v, k, s) => c.StickyWindow = ReadSeconds(v, k, s) ?? ConfigDefaults.StickyWindow,
        ["max_replica_lag"] = (c, v, k, s) => c.MaxReplicaLag = ReadSeconds(v, k, s) ?? ConfigDefaults.MaxReplicaLag,
        ["replica_check_interval"] = (c, v, k, s) => c.ReplicaCheckInterval = ReadSeconds(v, k, s) ?? ConfigDefaults.ReplicaCheckInterval,
    };

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["user"] = "username",
        ["dbname"] = "database",
        ["server"] = "host",
    };

    /// <summary>Every key the dictionary form accepts (the common ones, then every known engine's), for messages.</summary>
    public static IEnumerable<string> Names => Setters.Keys.Concat(Dialects.DriverCatalog.OptionKeys.Except(Setters.Keys, StringComparer.OrdinalIgnoreCase));

    public static bool IsKnown(string key) => Setters.ContainsKey(key) || Aliases.ContainsKey(key) || Dialects.DriverCatalog.FindOption(key) is not null;

    public static void Apply(ConnectionConfig config, string key, object? value, string source)
    {
        ArgumentNullException.ThrowIfNull(key);
        var name = Aliases.TryGetValue(key, out var canonical) ? canonical : key;
        if (Setters.TryGetValue(name, out var setter))
        {
            setter(config, value, name.ToLowerInvariant(), source);
        }
        else if (Dialects.DriverCatalog.FindOption(name) is { } option)
        {
            config.SetOption(option.Key, option.Read(value, source));
        }
        else
        {
            var hint = Suggest(key) is { } near ? $"Did you mean '{near}'? " : "";
            throw new ConfigurationException(
                $"Unknown configuration key '{key}'. {hint}Known keys: {string.Join(", ", Names)}.",
                key);
        }

        config.MarkSet(name.ToLowerInvariant());
    }

    /// <summary>The known key closest to a misspelt one, when one is close enough to be a likely typo.</summary>
    public static string? Suggest(string key)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in Names)
        {
            var distance = Distance(key.ToLowerInvariant(), candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return bestDistance <= Math.Max(2, key.Length / 4) ? best : null;
    }

    /// <summary>
    /// The known key a name read from the environment was probably meant to be (<c>poolsize</c> for <c>pool_size</c>), or
    /// null when it looks like none of ours. Stricter than <see cref="Suggest"/>: other tools' variables may share the prefix.
    /// </summary>
    public static string? SuggestForEnvironment(string key)
    {
        var squeezed = key.Replace("_", "", StringComparison.Ordinal);
        foreach (var candidate in Names.Concat(Aliases.Keys))
        {
            if (string.Equals(squeezed, candidate.Replace("_", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
            {
                return Aliases.TryGetValue(candidate, out var canonical) ? canonical : candidate;
            }
        }

        return key.Length >= 5 ? Suggest(key) : null;
    }

    /// <summary>Whether <see cref="Read"/> reads values of <paramref name="type"/> (the types an engine option may have).</summary>
    public static bool CanRead(Type type) =>
        type == typeof(string) || type == typeof(bool?) || type == typeof(int?) || type == typeof(TimeSpan?) || type == typeof(IReadOnlyDictionary<string, string>);

    /// <summary>How messages name a type <see cref="CanRead"/> accepts.</summary>
    public static string Describe(Type type) =>
        type == typeof(string) ? "a string"
        : type == typeof(bool?) ? "true or false"
        : type == typeof(int?) ? "a whole number"
        : type == typeof(TimeSpan?) ? "a number of seconds or a TimeSpan"
        : "a dictionary of strings";

    /// <summary>Reads an engine option's value of <paramref name="type"/>; null stays null (the option's default applies).</summary>
    public static object? Read(Type type, object? value, string key, string source) =>
        type == typeof(string) ? ReadString(value, key, source)
        : type == typeof(bool?) ? ReadBool(value, key, source)
        : type == typeof(int?) ? ReadInt(value, key, source)
        : type == typeof(TimeSpan?) ? ReadSeconds(value, key, source)
        : type == typeof(IReadOnlyDictionary<string, string>) ? ReadStringMap(value, key, source)
        : throw new NotSupportedException(type.Name);

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    internal static ConfigurationException WrongType(string key, string source, string expected, object? value, bool secret = false)
    {
        // A value read from a URL is never shown: a mangled URL can put password text into any parameter.
        var hidden = secret || value is null || source == ConfigUrl.Source;
        var shown = hidden ? value?.GetType().Name ?? "null" : $"{value!.GetType().Name} '{Truncate(value)}'";
        return new ConfigurationException(
            $"Configuration {source} '{key}' must be {expected}, but was {shown}. Change the value of '{key}'.",
            key);
    }

    private static string Truncate(object value)
    {
        var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        return text.Length > 40 ? text[..40] + "..." : text;
    }

    private static string? ReadString(object? value, string key, string source, bool secret = false) => value switch
    {
        null => null,
        string s => s,
        _ => throw WrongType(key, source, "a string", value, secret),
    };

    private static int? ReadInt(object? value, string key, string source)
    {
        switch (value)
        {
            case null:
                return null;
            case int i:
                return i;
            case long or short or byte or uint or ulong or ushort or sbyte:
                var whole = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                if (whole is >= int.MinValue and <= int.MaxValue)
                {
                    return (int)whole;
                }

                break;
            case double or float or decimal:
                var number = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                if (number == decimal.Truncate(number) && number is >= int.MinValue and <= int.MaxValue)
                {
                    return (int)number;
                }

                break;
            case string s when int.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
        }

        throw WrongType(key, source, "a whole number", value);
    }

    private static bool? ReadBool(object? value, string key, string source)
    {
        switch (value)
        {
            case null:
                return null;
            case bool b:
                return b;
            case string s:
                switch (s.Trim().ToLowerInvariant())
                {
                    case "true" or "yes" or "on" or "1":
                        return true;
                    case "false" or "no" or "off" or "0":
                        return false;
                }

                break;
            case int i when i is 0 or 1:
                return i == 1;
        }

        throw WrongType(key, source, "true or false", value);
    }

    private static TEnum? ReadEnum<TEnum>(object? value, string key, string source)
        where TEnum : struct, Enum
    {
        switch (value)
        {
            case null:
                return null;
            case TEnum typed:
                return typed;
            case string s when !int.TryParse(s, out _) && Enum.TryParse<TEnum>(s.Trim().Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var parsed):
                return parsed;
        }

        throw WrongType(key, source, "one of " + string.Join(", ", Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant())), value);
    }

    private static TimeSpan? ReadSeconds(object? value, string key, string source, bool minusOneIsNever = false)
    {
        if (value is null)
        {
            return null;
        }

        if (!SecondsValue.TryRead(value, out var span, out var seconds))
        {
            throw WrongType(key, source, "a number of seconds or a TimeSpan", value);
        }

        if (span is { } given)
        {
            return given;
        }

        if (minusOneIsNever && seconds == -1)
        {
            return null;
        }

        if (double.IsNaN(seconds) || double.IsInfinity(seconds) || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            throw WrongType(key, source, "a finite number of seconds", value);
        }

        // Negative values are kept so that validation can name the key and the allowed range.
        return TimeSpan.FromSeconds(seconds);
    }

    private static Dictionary<string, string>? ReadStringMap(object? value, string key, string source)
    {
        switch (value)
        {
            case null:
                return null;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                return pairs.ToDictionary(p => p.Key, p => Convert.ToString(p.Value, CultureInfo.InvariantCulture) ?? "", StringComparer.OrdinalIgnoreCase);
            case IEnumerable<KeyValuePair<string, string>> strings:
                return strings.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
            case string s:
                // URL and environment form: ssl=mode:required,ca:/path/ca.pem
                var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var part in s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var colon = part.IndexOf(':', StringComparison.Ordinal);
                    if (colon <= 0)
                    {
                        throw WrongType(key, source, "a dictionary (or 'mode:require,ca:/path/ca.pem' as text)", value);
                    }

                    map[part[..colon].Trim()] = part[(colon + 1)..].Trim();
                }

                return map;
            default:
                throw WrongType(key, source, "a dictionary of strings", value);
        }
    }
}
