using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Dialects;
using Switchboard.Pooling;
using Switchboard.Routing;

namespace Switchboard;

// Checking a configuration before anything is made from it: the name, the driver, the keys of every engine and their ranges.
public sealed partial class ConnectionRegistry
{
    internal DatabaseDriver Validate(string name, ConnectionConfig config)
    {
        if (string.IsNullOrWhiteSpace(config.Driver))
        {
            throw new ConfigurationException(
                $"Connection '{name}': driver is required. Set driver to one of {string.Join(", ", DriverCatalog.KnownNames)}.",
                key: "driver",
                name);
        }

        var driver = DriverCatalog.Resolve(config.Driver.Trim(), _drivers, name);
        config.Driver = driver.Name;
        if (driver.RequiresDatabase && string.IsNullOrWhiteSpace(config.Database))
        {
            throw new ConfigurationException(
                driver.IsServerEngine
                    ? $"Connection '{name}': database is required. Set database to the name of the database to use on the server."
                    : $"Connection '{name}': database is required. Set database to a file path, or ':memory:' for an in-memory database.",
                key: "database",
                name);
        }

        if (config.PoolSize is < 1 or > ConnectionConfig.MaxPoolSize)
        {
            throw new ConfigurationException(
                $"Connection '{name}': pool_size must be between 1 and {ConnectionConfig.MaxPoolSize}, but was {config.PoolSize}. "
                + "Set it to the most connections this application may hold open at once on this database.",
                key: "pool_size",
                name);
        }

        RequireDuration(name, "pool_timeout", config.PoolTimeout, allowZero: true);
        if (config.MinIdle < 0 || config.MinIdle > config.PoolSize)
        {
            throw new ConfigurationException(
                $"Connection '{name}': min_idle must be between 0 and pool_size ({config.PoolSize}), but was {config.MinIdle}.",
                key: "min_idle",
                name);
        }

        if (config.IdleTimeout is { } idle)
        {
            RequireDuration(name, "idle_timeout", idle, allowZero: false, hint: " Use -1 (or null) to never close idle connections.");
        }

        RequireDuration(name, "pool_pre_ping_window", config.PoolPrePingWindow, allowZero: true);
        if (config.LeakDetectionThreshold is { } leak)
        {
            RequireDuration(name, "leak_detection_threshold", leak, allowZero: false, hint: " Use -1 (or null) to turn leak detection off.");
        }
        if (config.PoolRecycle is { } recycle)
        {
            RequireDuration(name, "pool_recycle", recycle, allowZero: false, hint: " Use -1 (or null) to never recycle.");
        }

        if (config.EvictAfter is { } evictAfter && evictAfter != Timeout.InfiniteTimeSpan)
        {
            RequireDuration(name, "evict_after", evictAfter, allowZero: false, hint: " Use -1 (or Timeout.InfiniteTimeSpan) to never evict the pool.");
        }

        RequireDuration(name, "connect_timeout", config.ConnectTimeout, allowZero: false);
        RequireDuration(name, "command_timeout", config.CommandTimeout, allowZero: true);
        Resilience.RetrySettings.Validate(name, config.Retry);
        if (config.BusyTimeout is { } busy)
        {
            RequireDuration(name, "busy_timeout", busy, allowZero: true);
        }

        if (config.Port is { } port && port is < 1 or > 65535)
        {
            throw new ConfigurationException($"Connection '{name}': port must be between 1 and 65535, but was {port}.", key: "port", name);
        }

        foreach (var (key, isSet) in EngineKeysSet(config))
        {
            if (isSet && !driver.EngineKeys.Contains(key))
            {
                throw new ConfigurationException(
                    $"Connection '{name}': '{key}' is not an option of the {driver.Name} driver. Remove it"
                    + (driver.EngineKeys.Count > 0 ? $"; {driver.Name} accepts {string.Join(", ", driver.EngineKeys)}." : "."),
                    key,
                    name);
            }
        }

        if (!driver.IsServerEngine)
        {
            foreach (var (key, isSet) in new[] { ("host", config.Host is not null), ("port", config.Port is not null), ("username", config.Username is not null), ("password", config.Password is not null) })
            {
                if (isSet)
                {
                    throw new ConfigurationException(
                        $"Connection '{name}': '{key}' does not apply to {driver.Name}, which opens a local file. Remove it.",
                        key,
                        name);
                }
            }
        }

        driver.Validate(config, name);
        return driver;
    }

    private static IEnumerable<(string Key, bool IsSet)> EngineKeysSet(ConnectionConfig config) =>
    [
        ("charset", config.Charset is not null),
        ("ssl", config.Ssl is not null),
        ("local_infile", config.LocalInfile is not null),
        ("schema", config.Schema is not null),
        ("sslmode", config.SslMode is not null),
        ("pooler", config.Pooler is not null),
        ("auto_prepare", config.AutoPrepare is not null),
        ("service_name", config.ServiceName is not null),
        ("sid", config.Sid is not null),
        ("trusted_connection", config.TrustedConnection is not null),
        ("odbc_driver", config.OdbcDriver is not null),
        ("journal_mode", config.JournalMode is not null),
        ("busy_timeout", config.BusyTimeout is not null),
    ];

    private static void RequireDuration(string name, string key, TimeSpan value, bool allowZero, string hint = "")
    {
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
        {
            throw new ConfigurationException(
                $"Connection '{name}': {key} must be {(allowZero ? "zero or more" : "more than zero")} seconds, but was {value.TotalSeconds}.{hint}",
                key,
                name);
        }
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ConfigurationException("A connection name must not be empty. Give each connection a descriptive name such as \"primary\" or \"analytics\".", key: null);
        }
    }
}
