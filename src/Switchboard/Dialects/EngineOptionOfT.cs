namespace Switchboard.Dialects;

/// <summary>An engine's configuration key of type <typeparamref name="T"/>, with its default.</summary>
/// <typeparam name="T">
/// The value's type, nullable: <see cref="string"/>, <see cref="Nullable{T}"/> of <see cref="bool"/>, <see cref="int"/> or
/// <see cref="TimeSpan"/> (read from seconds), or <see cref="IReadOnlyDictionary{TKey, TValue}"/> of strings.
/// </typeparam>
public sealed class EngineOption<T> : EngineOption
{
    /// <summary>Declares a key.</summary>
    /// <param name="key">The key, snake_case.</param>
    /// <param name="defaultValue">The value used when the configuration does not set the key.</param>
    /// <param name="description">One sentence for users: what the key does.</param>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not one of the supported types.</exception>
    public EngineOption(string key, T defaultValue, string description)
        : base(key, description)
    {
        if (!ConfigKeys.CanRead(typeof(T)))
        {
            throw new ArgumentException($"An engine option's type must be string, bool?, int?, TimeSpan? or IReadOnlyDictionary<string, string>, not {typeof(T).Name}.", nameof(defaultValue));
        }

        Default = defaultValue;
    }

    /// <summary>The value used when the configuration does not set the key.</summary>
    public T Default { get; }

    /// <inheritdoc />
    public override object? DefaultValue => Default;

    /// <summary>The value the configuration sets, or null (<c>default</c>) when it sets none.</summary>
    /// <param name="config">The configuration.</param>
    public T? GetValue(ConnectionConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.GetOption(Key, out var value) ? (T?)value : default;
    }

    /// <summary>The value in effect: the one the configuration sets, else <see cref="Default"/>.</summary>
    /// <param name="config">The configuration.</param>
    public T ValueOrDefault(ConnectionConfig config) => GetValue(config) ?? Default;

    /// <summary>Sets the key on a configuration; null removes it, so that the default applies.</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="value">The value.</param>
    public void SetValue(ConnectionConfig config, T? value)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.SetOption(Key, value);
    }

    internal override bool Holds(object value) => value is T;

    internal override string TypeName => ConfigKeys.Describe(typeof(T));

    internal override object? Read(object? value, string source) => ConfigKeys.Read(typeof(T), value, Key, source);
}
