using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Switchboard.Dialects;

/// <summary>
/// Resolves a driver name to a <see cref="DatabaseDriver"/>: drivers registered explicitly first, then the provider
/// package that the name belongs to, loaded by assembly name and read through its <see cref="SwitchboardDriverAttribute"/>.
/// </summary>
internal static class DriverCatalog
{
    /// <summary>The package each engine name lives in.</summary>
    private static readonly ConcurrentDictionary<string, string> Packages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sqlite"] = "Switchboard.Sqlite",
        ["postgresql"] = "Switchboard.PostgreSql",
        ["postgres"] = "Switchboard.PostgreSql",
        ["pg"] = "Switchboard.PostgreSql",
        ["mysql"] = "Switchboard.MySql",
        ["mariadb"] = "Switchboard.MySql",
        ["sqlserver"] = "Switchboard.SqlServer",
        ["mssql"] = "Switchboard.SqlServer",
        ["oracle"] = "Switchboard.Oracle",
    };

    private static readonly ConcurrentDictionary<string, DatabaseDriver> Global = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>
    /// One load per package. A caller that finds the load under way waits for it, instead of looking for the driver
    /// before the first caller has registered it (which read as "needs the package" to the second of two threads).
    /// </summary>
    private static readonly ConcurrentDictionary<string, Lazy<Exception?>> PackageLoads = new(StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<string> KnownNames => Packages.Keys.Concat(Global.Keys).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal);

    /// <summary>Names the package a driver name lives in, beyond the built-in names above (tests use it for a package that is missing).</summary>
    internal static void MapPackage(string driverName, string package) => Packages[driverName] = package;

    public static void Register(DatabaseDriver driver, ConcurrentDictionary<string, DatabaseDriver>? into = null)
    {
        ArgumentNullException.ThrowIfNull(driver);
        var target = into ?? Global;
        target[driver.Name] = driver;
        foreach (var alias in driver.Aliases)
        {
            target[alias] = driver;
        }
    }

    public static DatabaseDriver Resolve(string name, ConcurrentDictionary<string, DatabaseDriver> local, string connectionName)
    {
        if (local.TryGetValue(name, out var driver) || Global.TryGetValue(name, out driver))
        {
            return driver;
        }

        if (!Packages.TryGetValue(name, out var package))
        {
            throw new ConfigurationException(
                $"Connection '{connectionName}': unknown driver '{name}'. Use one of {string.Join(", ", KnownNames)}, "
                + "or register your own with ConnectionRegistry.RegisterDriver.",
                key: "driver",
                connectionName);
        }

        var load = PackageLoads.GetOrAdd(package, static p => new Lazy<Exception?>(() => LoadPackage(p), LazyThreadSafetyMode.ExecutionAndPublication));
        if (load.Value is { } failure)
        {
            // Not remembered: the package may be added to the load context later (a plug-in folder, a test).
            PackageLoads.TryRemove(new KeyValuePair<string, Lazy<Exception?>>(package, load));
            throw MissingPackage(name, package, connectionName, failure);
        }

        return Global.TryGetValue(name, out driver) ? driver : throw MissingPackage(name, package, connectionName, null);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Trimmed applications register their drivers explicitly; the message says how.")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "The attribute's constructor argument carries the needed annotations.")]
    private static Exception? LoadPackage(string package)
    {
        try
        {
            var assembly = Assembly.Load(new AssemblyName(package));
            foreach (var attribute in assembly.GetCustomAttributes<SwitchboardDriverAttribute>())
            {
                Register((DatabaseDriver)Activator.CreateInstance(attribute.DriverType, nonPublic: true)!);
            }

            return null;
        }
        catch (Exception exception) when (exception is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return exception;
        }
    }

    private static ConfigurationException MissingPackage(string name, string package, string connectionName, Exception? inner) =>
        new(
            $"Connection '{connectionName}': driver '{name}' needs the {package} package. Add it with 'dotnet add package {package}'"
            + " (in a trimmed or AOT application, also register it explicitly, as its README shows).",
            key: "driver",
            connectionName,
            inner);
}
