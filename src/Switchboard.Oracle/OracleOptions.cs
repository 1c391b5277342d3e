using System.Buffers;
using Switchboard.Dialects;

namespace Switchboard;

/// <summary>
/// The keys of the <c>oracle</c> driver: <c>service_name</c> and <c>sid</c> (exactly one), with their checks, and their
/// typed properties on <see cref="ConnectionConfig"/>. Adding a key is one declaration here.
/// </summary>
public static class OracleOptions
{
    internal static readonly EngineOption<string?> ServiceNameKey = new("service_name", null, "The database service to connect to.");

    internal static readonly EngineOption<string?> SidKey = new("sid", null, "The SID of the instance to connect to.");

    internal static IReadOnlyList<EngineOption> All { get; } = [ServiceNameKey, SidKey];

    /// <summary>Characters that would change the meaning of a connect descriptor or connection string.</summary>
    private static readonly SearchValues<char> DescriptorCharacters = SearchValues.Create("()=;\"' \t\r\n");

    internal static void Check(ConnectionConfig config, ICollection<ConfigurationProblem> problems)
    {
        var hasService = !string.IsNullOrWhiteSpace(config.ServiceName);
        var hasSid = !string.IsNullOrWhiteSpace(config.Sid);
        if (hasService == hasSid)
        {
            problems.Add(new(
                hasService ? "sid" : "service_name",
                hasService
                    ? "service_name and sid are both set, but an Oracle connection names its target one way. Keep service_name (or sid) and remove the other."
                    : "an Oracle connection needs service_name or sid. Set service_name to the database service (e.g. ORCLPDB1), or sid to the instance's SID."));
        }

        if (!string.IsNullOrWhiteSpace(config.Database))
        {
            problems.Add(new(
                "database",
                "database does not apply to oracle, which connects to a service or SID and uses the user's schema. Remove database and set service_name (or sid) instead."));
        }

        foreach (var (key, value) in new[] { ("host", config.Host), ("service_name", config.ServiceName), ("sid", config.Sid) })
        {
            if (value is not null && value.AsSpan().ContainsAny(DescriptorCharacters))
            {
                problems.Add(new(
                    key,
                    $"{key} '{value}' contains characters that cannot appear in an Oracle connect descriptor (parentheses, '=', ';', quotes, spaces). Correct {key}."));
            }
        }
    }

    extension(ConnectionConfig config)
    {
        /// <summary>Oracle: the service name (exactly one of this and <c>Sid</c>; key <c>service_name</c>).</summary>
        public string? ServiceName
        {
            get => ServiceNameKey.GetValue(config);
            set => ServiceNameKey.SetValue(config, value);
        }

        /// <summary>Oracle: the SID (exactly one of this and <c>ServiceName</c>; key <c>sid</c>).</summary>
        public string? Sid
        {
            get => SidKey.GetValue(config);
            set => SidKey.SetValue(config, value);
        }
    }
}
