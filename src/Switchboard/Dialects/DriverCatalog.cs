using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Switchboard.Dialects;

/// <summary>
/// Resolves a driver name to a <see cref="DatabaseDriver"/>: drivers registered explicitly first, then the drivers that
/// provider assemblies declare with <see cref="SwitchboardDriverAttribute"/>. The core names no engine: it finds them in
/// the assemblies already loaded and in the application's assemblies named <c>Switchboard.*</c> (the provider packages'
/// convention, <c>Switchboard.&lt;Engine&gt;</c>), and each driver says its own name, aliases and keys.
/// </summary>
internal static class DriverCatalog
{
    /// <summary>The file name prefix of provider packages, which the application's assemblies are probed for.</summary>
    public const string PackagePrefix = "Switchboard.";

    /// <summary>Drivers registered process-wide or found in provider assemblies, by name and alias.</summary>
    private static readonly ConcurrentDictionary<string, DatabaseDriver> Global = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every driver known anywhere (registered with a registry too), whose keys and URL form the parsers accept.</summary>
    private static readonly ConcurrentDictionary<string, DatabaseDriver> Declared = new(StringComparer.OrdinalIgnoreCase);

    private static readonly ConcurrentDictionary<Assembly, bool> Scanned = new();

    /// <summary>
    /// One discovery at a time. A caller that finds one under way waits for it, instead of looking for the driver before
    /// the first caller has registered it (which read as "unknown driver" to the second of two threads).
    /// </summary>
    private static readonly Lock DiscoveryGate = new();

    private static bool _probed;

    /// <summary>The names and aliases of every driver found or registered process-wide.</summary>
    public static IEnumerable<string> KnownNames
    {
        get
        {
            Discover();
            return Global.Keys.Order(StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>The engine keys of every known driver.</summary>
    public static IEnumerable<string> OptionKeys
    {
        get
        {
            Discover();
            return Declared.Values.Distinct().SelectMany(d => d.Options).Select(o => o.Key).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>The declaration of an engine key by any known driver, or null when none declares it.</summary>
    public static EngineOption? FindOption(string key)
    {
        if (Find(Declared.Values, key) is { } option)
        {
            return option;
        }

        Discover();
        return Find(Declared.Values, key);

        static EngineOption? Find(IEnumerable<DatabaseDriver> drivers, string key)
        {
            foreach (var driver in drivers)
            {
                foreach (var option in driver.Options)
                {
                    if (string.Equals(option.Key, key, StringComparison.OrdinalIgnoreCase))
                    {
                        return option;
                    }
                }
            }

            return null;
        }
    }

    /// <summary>The driver a name selects, for parsers that must know its URL form before any registry is involved; null when unknown.</summary>
    public static DatabaseDriver? FindDeclared(string name)
    {
        if (Declared.TryGetValue(name, out var driver))
        {
            return driver;
        }

        Discover();
        return Declared.GetValueOrDefault(name);
    }

    public static void Register(DatabaseDriver driver, ConcurrentDictionary<string, DatabaseDriver>? into = null)
    {
        ArgumentNullException.ThrowIfNull(driver);
        var target = into ?? Global;
        foreach (var name in driver.Aliases.Prepend(driver.Name))
        {
            target[name] = driver;
            Declared.TryAdd(name, driver);
        }
    }

    public static DatabaseDriver? Resolve(string name, ConcurrentDictionary<string, DatabaseDriver> local)
    {
        if (local.TryGetValue(name, out var driver) || Global.TryGetValue(name, out driver))
        {
            return driver;
        }

        Discover();
        return Global.GetValueOrDefault(name);
    }

    /// <summary>
    /// The problem of an unknown driver name. The core cannot know which package an unknown name belongs to, so it names
    /// the convention and the packages it found, each of which lists its drivers.
    /// </summary>
    public static ConfigurationProblem Unknown(string name)
    {
        var found = Global.Values.Distinct().GroupBy(d => d.GetType().Assembly.GetName().Name ?? "?")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} ({string.Join(", ", g.SelectMany(d => d.Aliases.Prepend(d.Name)).Distinct(StringComparer.OrdinalIgnoreCase))})")
            .ToList();
        var installed = found.Count > 0 ? $"The drivers installed are those of {string.Join(", ", found)}. " : "No driver package is installed. ";
        return new ConfigurationProblem(
            "driver",
            $"unknown driver '{name}'. {installed}If '{name}' is the engine you meant, add its provider package, named {PackagePrefix}<Engine> by convention "
            + $"('dotnet add package {PackagePrefix}<Engine>'; in a trimmed or AOT application also register it explicitly, as its README shows); "
            + "otherwise correct driver, or register your own with ConnectionRegistry.RegisterDriver.");
    }

    /// <summary>Reads the drivers declared by assemblies not yet read: those loaded, and once the application's provider packages.</summary>
    private static void Discover()
    {
        lock (DiscoveryGate)
        {
            if (!_probed)
            {
                _probed = true;
                foreach (var name in ProviderAssemblyNames())
                {
                    TryLoad(name);
                }
            }

            foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            {
                if (Scanned.TryAdd(assembly, true))
                {
                    ReadDeclarations(assembly);
                }
            }
        }
    }

    /// <summary>The application's assemblies named <c>Switchboard.*</c> (its trusted platform assemblies, else its folder).</summary>
    private static IEnumerable<AssemblyName> ProviderAssemblyNames()
    {
        var paths = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list
            ? list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            : Directory.Exists(AppContext.BaseDirectory) ? Directory.GetFiles(AppContext.BaseDirectory, PackagePrefix + "*.dll") : [];
        var core = typeof(DriverCatalog).Assembly.GetName().Name;
        foreach (var path in paths)
        {
            var file = Path.GetFileNameWithoutExtension(path);
            if (file.StartsWith(PackagePrefix, StringComparison.OrdinalIgnoreCase) && path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && file != core)
            {
                yield return new AssemblyName(file);
            }
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Trimmed applications register their drivers explicitly; the message says how.")]
    private static void TryLoad(AssemblyName name)
    {
        try
        {
            Assembly.Load(name);
        }
        catch (Exception exception) when (exception is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            // Not a loadable assembly here; its drivers, if any, stay unknown.
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "The attribute's constructor argument carries the needed annotations.")]
    private static void ReadDeclarations(Assembly assembly)
    {
        if (assembly.IsDynamic)
        {
            return;
        }

        SwitchboardDriverAttribute[] attributes;
        try
        {
            attributes = [.. assembly.GetCustomAttributes<SwitchboardDriverAttribute>()];
        }
        catch (Exception exception) when (exception is FileNotFoundException or FileLoadException or TypeLoadException or BadImageFormatException)
        {
            return;
        }

        foreach (var attribute in attributes)
        {
            Register((DatabaseDriver)Activator.CreateInstance(attribute.DriverType, nonPublic: true)!);
        }
    }
}
