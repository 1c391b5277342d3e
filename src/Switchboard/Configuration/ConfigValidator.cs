using System.Collections.Concurrent;
using Switchboard.Dialects;

namespace Switchboard;

/// <summary>
/// Checks a configuration and reports every problem at once: the driver, the keys common to every engine and their ranges,
/// the engine keys that belong to another driver, then the driver's own checks. It never changes the configuration;
/// <see cref="Normalize"/> makes the effective one.
/// </summary>
internal static class ConfigValidator
{
    /// <summary>The configuration's driver, or a <see cref="ConfigurationException"/> listing every problem.</summary>
    public static DatabaseDriver Validate(string name, ConnectionConfig config, ConcurrentDictionary<string, DatabaseDriver> drivers)
    {
        var problems = new List<ConfigurationProblem>();
        var driver = ResolveDriver(config, drivers, problems);
        CheckCommon(config, driver, problems);
        if (driver is not null)
        {
            CheckEngineKeys(config, driver, problems);
            driver.Check(config, name, problems);
        }

        return problems.Count == 0 ? driver! : throw new ConfigurationException(name, problems);
    }

    /// <summary>The effective configuration: a copy with the driver's canonical name and what the driver derives.</summary>
    public static ConnectionConfig Normalize(ConnectionConfig config, DatabaseDriver driver)
    {
        var copy = config.Clone();
        copy.Driver = driver.Name;
        foreach (var option in driver.Options)
        {
            if (copy.EngineOptions.TryGetValue(option.Key, out var value) && value is not null && !option.Holds(value))
            {
                copy.SetOption(option.Key, option.Read(value is IConvertible ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : value, "key"));
            }
        }

        return driver.Normalize(copy);
    }

    private static DatabaseDriver? ResolveDriver(ConnectionConfig config, ConcurrentDictionary<string, DatabaseDriver> drivers, List<ConfigurationProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(config.Driver))
        {
            problems.Add(new("driver", $"driver is required. Set driver to one of {string.Join(", ", DriverCatalog.KnownNames)}."));
            return null;
        }

        var name = config.Driver.Trim();
        var driver = DriverCatalog.Resolve(name, drivers);
        if (driver is null)
        {
            problems.Add(DriverCatalog.Unknown(name));
        }

        return driver;
    }

    private static void CheckCommon(ConnectionConfig config, DatabaseDriver? driver, List<ConfigurationProblem> problems)
    {
        if (driver is { RequiresDatabase: true } && string.IsNullOrWhiteSpace(config.Database))
        {
            problems.Add(new(
                "database",
                driver.IsServerEngine
                    ? "database is required. Set database to the name of the database to use on the server."
                    : "database is required. Set database to a file path, or ':memory:' for an in-memory database."));
        }

        if (config.PoolSize is < 1 or > ConfigDefaults.MaxPoolSize)
        {
            problems.Add(new(
                "pool_size",
                $"pool_size must be between 1 and {ConfigDefaults.MaxPoolSize}, but was {config.PoolSize}. "
                + "Set it to the most connections this application may hold open at once on this database."));
        }

        RequireDuration(problems, "pool_timeout", config.PoolTimeout, allowZero: true);
        if (config.MinIdle < 0 || config.MinIdle > config.PoolSize)
        {
            problems.Add(new("min_idle", $"min_idle must be between 0 and pool_size ({config.PoolSize}), but was {config.MinIdle}."));
        }

        if (config.IdleTimeout is { } idle)
        {
            RequireDuration(problems, "idle_timeout", idle, allowZero: false, hint: " Use -1 (or null) to never close idle connections.");
        }

        RequireDuration(problems, "pool_pre_ping_window", config.PoolPrePingWindow, allowZero: true);
        if (config.LeakDetectionThreshold is { } leak)
        {
            RequireDuration(problems, "leak_detection_threshold", leak, allowZero: false, hint: " Use -1 (or null) to turn leak detection off.");
        }

        if (config.PoolRecycle is { } recycle)
        {
            RequireDuration(problems, "pool_recycle", recycle, allowZero: false, hint: " Use -1 (or null) to never recycle.");
        }

        if (config.EvictAfter is { } evictAfter && evictAfter != Timeout.InfiniteTimeSpan)
        {
            RequireDuration(problems, "evict_after", evictAfter, allowZero: false, hint: " Use -1 (or Timeout.InfiniteTimeSpan) to never evict the pool.");
        }

        RequireDuration(problems, "connect_timeout", config.ConnectTimeout, allowZero: false);
        RequireDuration(problems, "command_timeout", config.CommandTimeout, allowZero: true);
        Resilience.RetrySettings.Check(config.Retry, problems);
        if (config.Port is { } port && port is < 1 or > 65535)
        {
            problems.Add(new("port", $"port must be between 1 and 65535, but was {port}."));
        }

        if (driver is { IsServerEngine: false })
        {
            foreach (var (key, isSet) in new[] { ("host", config.Host is not null), ("port", config.Port is not null), ("username", config.Username is not null), ("password", config.Password is not null) })
            {
                if (isSet)
                {
                    problems.Add(new(key, $"'{key}' does not apply to {driver.Name}, which opens a local file. Remove it."));
                }
            }
        }
    }

    /// <summary>Each engine key set must be one of this driver's; its type was checked when it was read.</summary>
    private static void CheckEngineKeys(ConnectionConfig config, DatabaseDriver driver, List<ConfigurationProblem> problems)
    {
        var accepted = driver.EngineKeys;
        foreach (var (key, value) in config.EngineOptions)
        {
            if (driver.Options.FirstOrDefault(o => string.Equals(o.Key, key, StringComparison.OrdinalIgnoreCase)) is { } option)
            {
                // Read as another engine's key of the same name: read it again as this driver's type (Normalize keeps that).
                if (value is not null && !option.Holds(value) && !CanReadAs(option, value))
                {
                    problems.Add(new(key, $"'{key}' must be {option.TypeName} for the {driver.Name} driver. Change the value of '{key}'."));
                }
            }
            else if (!accepted.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add(new(
                    key,
                    $"'{key}' is not an option of the {driver.Name} driver. Remove it"
                    + (accepted.Count > 0 ? $"; {driver.Name} accepts {string.Join(", ", accepted)}." : ".")));
            }
        }
    }

    private static bool CanReadAs(EngineOption option, object value)
    {
        try
        {
            return option.Read(value is IConvertible ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : value, "key") is { } read && option.Holds(read);
        }
        catch (ConfigurationException)
        {
            return false;
        }
    }

    private static void RequireDuration(List<ConfigurationProblem> problems, string key, TimeSpan value, bool allowZero, string hint = "")
    {
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
        {
            problems.Add(new(key, $"{key} must be {(allowZero ? "zero or more" : "more than zero")} seconds, but was {value.TotalSeconds}.{hint}"));
        }
    }
}
