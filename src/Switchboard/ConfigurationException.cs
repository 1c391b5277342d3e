namespace Switchboard;

/// <summary>A configuration is invalid, or a connection name is unknown. The message names the key and the fix.</summary>
public sealed class ConfigurationException : SwitchboardException
{
    /// <summary>Creates an exception with a message.</summary>
    public ConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception about one configuration key.</summary>
    public ConfigurationException(string message, string? key, string? connectionName = null, Exception? innerException = null)
        : base(message, connectionName, isTransient: false, innerException)
    {
        Key = key;
    }

    /// <summary>The configuration key at fault (snake_case, as in the dictionary form), when there is one.</summary>
    public string? Key { get; }
}
