namespace Switchboard.Dialects;

/// <summary>
/// A configuration key that one engine understands (<c>charset</c>, <c>sslmode</c>, ...), declared by that engine's
/// driver in <see cref="DatabaseDriver.Options"/>. The core reads and stores its value from the dictionary, URL and
/// environment forms like any other key; the driver that declares it checks and uses it.
/// </summary>
/// <remarks>Create one with <see cref="EngineOption{T}"/>.</remarks>
public abstract class EngineOption
{
    private protected EngineOption(string key, string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(description);
        Key = key.ToLowerInvariant();
        Description = description;
    }

    /// <summary>The key, snake_case, as in the dictionary form.</summary>
    public string Key { get; }

    /// <summary>One sentence for users: what the key does.</summary>
    public string Description { get; }

    /// <summary>The value used when the configuration does not set the key, or null for none.</summary>
    public abstract object? DefaultValue { get; }

    /// <summary>Whether a stored value has this option's type (another engine may declare the same key with another type).</summary>
    internal abstract bool Holds(object value);

    /// <summary>The option's type, for messages.</summary>
    internal abstract string TypeName { get; }

    /// <summary>Reads a value given in the dictionary, URL or environment form into the option's type.</summary>
    /// <exception cref="ConfigurationException">The value has the wrong type; the message names the key.</exception>
    internal abstract object? Read(object? value, string source);

    /// <summary>Whether the configuration sets this key.</summary>
    /// <param name="config">The configuration.</param>
    public bool IsSet(ConnectionConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.GetOption(Key, out _);
    }

    /// <inheritdoc />
    public override string ToString() => Key;
}
