using Switchboard.Dialects;

namespace Switchboard;

// Checking a configuration before anything is made from it, then making the effective configuration from it.
public sealed partial class ConnectionRegistry
{
    /// <summary>The configuration's driver; a <see cref="ConfigurationException"/> lists every problem. <paramref name="config"/> is not changed.</summary>
    internal DatabaseDriver Validate(string name, ConnectionConfig config) => ConfigValidator.Validate(name, config, _drivers);

    /// <summary>The effective configuration of a valid one (a copy): the driver's canonical name, and what the driver derives.</summary>
    internal static ConnectionConfig Normalize(ConnectionConfig config, DatabaseDriver driver) => ConfigValidator.Normalize(config, driver);

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ConfigurationException("A connection name must not be empty. Give each connection a descriptive name such as \"primary\" or \"analytics\".", key: null);
        }
    }
}
