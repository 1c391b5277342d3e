using System.Reflection;

namespace Switchboard.Tests.SyncOrAsync;

/// <summary>
/// Every public operation that has both forms, <c>X</c> and <c>XAsync</c>, on a public type of Switchboard's assemblies
/// (the core, the providers, hosting), named <c>Type.X</c> as in <c>PublicAPI.Unshipped.txt</c> (<c>Query&lt;T&gt;.Count</c>).
/// </summary>
internal static class PublicSyncAsyncPairs
{
    private const string Suffix = "Async";

    public static IReadOnlyList<Assembly> Assemblies =>
    [
        typeof(Connection).Assembly,
        typeof(SqliteRegistryExtensions).Assembly,
        typeof(PostgreSqlRegistryExtensions).Assembly,
        typeof(MySqlRegistryExtensions).Assembly,
        typeof(SqlServerRegistryExtensions).Assembly,
        typeof(OracleRegistryExtensions).Assembly,
        typeof(Microsoft.Extensions.DependencyInjection.SwitchboardServiceCollectionExtensions).Assembly,
    ];

    /// <summary>The pairs, sorted by name.</summary>
    public static IReadOnlyList<string> All() =>
        [.. Assemblies.SelectMany(a => a.GetExportedTypes()).SelectMany(Of).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static IEnumerable<string> Of(Type type)
    {
        var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName)
            .Select(m => m.Name)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var name in methods)
        {
            if (name.EndsWith(Suffix, StringComparison.Ordinal) && methods.Contains(name[..^Suffix.Length]))
            {
                yield return Name(type) + "." + name[..^Suffix.Length];
            }
        }
    }

    private static string Name(Type type)
    {
        var name = type.IsGenericType ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] + "<T>" : type.Name;
        return type.Namespace switch
        {
            "Switchboard" or null => name,
            var ns when ns.StartsWith("Switchboard.", StringComparison.Ordinal) => ns["Switchboard.".Length..] + "." + name,
            var ns => ns + "." + name,
        };
    }
}
