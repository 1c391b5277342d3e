using System.Collections;
using System.Text;

namespace Switchboard;

/// <summary>
/// The configuration of one named connection: which engine, where, and how its pool behaves.
/// Build it as an object, from a dictionary with snake_case keys (<see cref="FromDictionary"/>), from a URL
/// (<see cref="Parse"/>) or from environment variables (<see cref="FromEnvironment"/>).
/// It is validated, and copied, when it is passed to <c>Configure</c>.
/// </summary>
/// <remarks><see cref="ToString"/> never shows the password.</remarks>
public sealed partial class ConnectionConfig
{
    /// <summary>The default <see cref="PoolSize"/>.</summary>
    public const int DefaultPoolSize = ConfigDefaults.PoolSize;

    /// <summary>The largest <see cref="PoolSize"/> accepted.</summary>
    public const int MaxPoolSize = ConfigDefaults.MaxPoolSize;

    /// <summary>The engine: the name (or an alias) of an installed driver, such as <c>sqlite</c>, <c>postgresql</c> (<c>postgres</c>), <c>mysql</c>, <c>mariadb</c>, <c>sqlserver</c> (<c>mssql</c>), <c>oracle</c>, or a registered custom driver.</summary>
    public string? Driver { get; set; }

    /// <summary>The database name; for SQLite a file path (relative to the working directory) or <c>:memory:</c>.</summary>
    public string? Database { get; set; }

    /// <summary>The server's host name or address (server engines only).</summary>
    public string? Host { get; set; }

    /// <summary>The server's port.</summary>
    /// <value>The engine's default when null: 5432 PostgreSQL, 3306 MySQL/MariaDB, 1433 SQL Server, 1521 Oracle.</value>
    public int? Port { get; set; }

    /// <summary>The user name for authentication.</summary>
    public string? Username { get; set; }

    /// <summary>The password for authentication; never shown by <see cref="ToString"/>, logs or exception messages.</summary>
    public string? Password { get; set; }

    /// <summary>The most physical connections the pool opens at once.</summary>
    /// <value>10. Between 1 and <see cref="MaxPoolSize"/>.</value>
    public int PoolSize { get; set; } = DefaultPoolSize;

    /// <summary>How long a checkout waits for a free connection before throwing <see cref="PoolTimeoutException"/>.</summary>
    /// <value>30 seconds. <see cref="TimeSpan.Zero"/> means fail at once when every connection is in use.</value>
    public TimeSpan PoolTimeout { get; set; } = ConfigDefaults.PoolTimeout;

    /// <summary>The age after which a connection is closed and replaced at its next checkout.</summary>
    /// <value>30 minutes. Null (or -1 in the dictionary form) means never.</value>
    public TimeSpan? PoolRecycle { get; set; } = ConfigDefaults.PoolRecycle;

    /// <summary>The fewest physical connections the pool keeps open, idle or not; it opens them in the background.</summary>
    /// <value>0: connections open on demand only.</value>
    public int MinIdle { get; set; }

    /// <summary>How long a connection may sit idle before it is closed (down to <see cref="MinIdle"/>).</summary>
    /// <value>10 minutes. Null (or -1 in the dictionary form) means never.</value>
    public TimeSpan? IdleTimeout { get; set; } = ConfigDefaults.IdleTimeout;

    /// <summary>When a connection is checked to be alive before it is handed out.</summary>
    /// <value><see cref="PrePing.Idle"/>: when it has been idle longer than <see cref="PoolPrePingWindow"/>.</value>
    public PrePing PoolPrePing { get; set; } = ConfigDefaults.PoolPrePing;

    /// <summary>With <see cref="PrePing.Idle"/>, how long a connection may be idle and still be handed out unchecked.</summary>
    /// <value>500 milliseconds.</value>
    public TimeSpan PoolPrePingWindow { get; set; } = ConfigDefaults.PoolPrePingWindow;

    /// <summary>How long a connection may be held before a warning with the stack that took it is logged.</summary>
    /// <value>Null: no leak detection (capturing the stack costs at every checkout).</value>
    public TimeSpan? LeakDetectionThreshold { get; set; }

    /// <summary>
    /// How long the pool may go unused before it is evicted whole: its connections close and it lets go of what it holds,
    /// then opens again on its next use. Never while a connection is checked out or inside a transaction.
    /// </summary>
    /// <value>
    /// Null: 600 seconds for a connection made by a resolver (<see cref="ConnectionRegistry.ConfigureResolver"/>), never
    /// otherwise. <see cref="Timeout.InfiniteTimeSpan"/> (or -1 in the dictionary form) means never.
    /// </value>
    public TimeSpan? EvictAfter { get; set; }

    /// <summary>Which idle connection a checkout takes.</summary>
    /// <value><see cref="CheckoutOrder.Lifo"/>: the most recently used, so that the others can idle out.</value>
    public CheckoutOrder CheckoutOrder { get; set; } = ConfigDefaults.CheckoutOrder;

    /// <summary>A statement run once on each new physical connection, before it is first handed out (session settings).</summary>
    public string? InitCommand { get; set; }

    /// <summary>How this connection names the tables and columns models declare.</summary>
    /// <value><see cref="NamingConvention.Auto"/>: names found in the live schema.</value>
    public NamingConvention Naming { get; set; } = ConfigDefaults.Naming;

    /// <summary>Whether each statement is logged with its duration and connection name.</summary>
    /// <value>False.</value>
    public bool Echo { get; set; }

    /// <summary>Whether echo also shows parameter values; they are hidden unless this is set.</summary>
    /// <value>False.</value>
    public bool EchoParameters { get; set; }

    /// <summary>How long opening one physical connection may take.</summary>
    /// <value>15 seconds.</value>
    public TimeSpan ConnectTimeout { get; set; } = ConfigDefaults.ConnectTimeout;

    /// <summary>How long one statement may run before the driver cancels it.</summary>
    /// <value>30 seconds.</value>
    public TimeSpan CommandTimeout { get; set; } = ConfigDefaults.CommandTimeout;

    /// <summary>The application name the server shows for this pool's connections (PostgreSQL <c>application_name</c>, MySQL connection attributes, SQL Server <c>Application Name</c>).</summary>
    /// <value><c>Switchboard:&lt;connection name&gt;</c> when null.</value>
    public string? ApplicationName { get; set; }

    /// <summary>Retries of work that failed for a reason that may pass (see <see cref="RetryOptions"/>); the <c>retry</c> key.</summary>
    /// <value>Null: nothing is retried.</value>
    public RetryOptions? Retry { get; set; }

    /// <summary>
    /// The engine-specific keys this configuration sets (<c>charset</c>, <c>sslmode</c>, <c>journal_mode</c>, ...), each
    /// declared by its engine's package, which also offers them as typed properties (<c>config.Charset</c>, ...).
    /// </summary>
    /// <value>Empty when none is set.</value>
    public IReadOnlyDictionary<string, object?> EngineOptions => _engineOptions?.AsReadOnly() ?? Empty;

    private static readonly IReadOnlyDictionary<string, object?> Empty = new Dictionary<string, object?>().AsReadOnly();

    private Dictionary<string, object?>? _engineOptions;

    internal bool GetOption(string key, out object? value)
    {
        value = null;
        return _engineOptions is not null && _engineOptions.TryGetValue(key, out value);
    }

    internal void SetOption(string key, object? value)
    {
        if (value is null)
        {
            _engineOptions?.Remove(key);
            return;
        }

        (_engineOptions ??= new(StringComparer.OrdinalIgnoreCase))[key] = value;
    }

    /// <summary>Reads the dictionary form, with snake_case keys (<c>driver</c>, <c>pool_size</c>, ...).</summary>
    /// <exception cref="ConfigurationException">A key is unknown or a value has the wrong type.</exception>
    public static ConnectionConfig FromDictionary(IEnumerable<KeyValuePair<string, object?>> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = new ConnectionConfig();
        foreach (var (key, value) in settings)
        {
            ConfigKeys.Apply(config, key, value, source: "key");
        }

        return config;
    }

    /// <summary>
    /// Reads a URL: <c>sqlite:///relative/main.db</c>, <c>sqlite:////absolute/main.db</c>, <c>sqlite:///:memory:</c>,
    /// <c>postgresql://user:pw@host:5432/db?pool_size=5</c>; query parameters are the dictionary's keys.
    /// </summary>
    /// <exception cref="ConfigurationException">The URL cannot be read; the message never repeats the password.</exception>
    public static ConnectionConfig Parse(string url) => ConfigUrl.Parse(url);

    /// <summary>
    /// Reads <c>PREFIX_URL</c>, or <c>PREFIX_DRIVER</c>, <c>PREFIX_HOST</c>, <c>PREFIX_PORT</c>, <c>PREFIX_DATABASE</c> (or <c>PREFIX_NAME</c>),
    /// <c>PREFIX_USERNAME</c> (or <c>PREFIX_USER</c>), <c>PREFIX_PASSWORD</c> and every other key upper-cased (<c>PREFIX_POOL_SIZE</c>, ...).
    /// </summary>
    /// <remarks>A variable with the prefix that is not a key but looks like one (<c>PREFIX_POOLSIZE</c>) is refused; others are ignored.</remarks>
    /// <exception cref="ConfigurationException">A variable has a value of the wrong type, or its name is a misspelt key.</exception>
    public static ConnectionConfig FromEnvironment(string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        var stem = prefix.EndsWith('_') ? prefix : prefix + "_";
        var variables = Environment.GetEnvironmentVariables();
        var config = variables[stem + "URL"] is string url && url.Length > 0 ? Parse(url) : new ConnectionConfig();
        foreach (DictionaryEntry entry in variables)
        {
            if (entry.Key is not string name || !name.StartsWith(stem, StringComparison.Ordinal) || name == stem + "URL")
            {
                continue;
            }

            var key = name[stem.Length..].ToLowerInvariant();
            key = key switch { "name" => "database", "user" => "username", _ => key };
            if (ConfigKeys.IsKnown(key))
            {
                ConfigKeys.Apply(config, key, entry.Value as string, source: "environment variable " + name + " (key");
            }
            else if (ConfigKeys.SuggestForEnvironment(key) is { } near)
            {
                // A misspelt variable would otherwise be ignored in silence, and its setting lost.
                var meant = stem + near.ToUpperInvariant();
                throw new ConfigurationException(
                    $"Environment variable {name} is not a configuration key. Did you mean {meant}? Rename it to {meant}, or remove it.",
                    near);
            }
        }

        return config;
    }

    /// <summary>Describes the configuration with the password, and any part of it found elsewhere, replaced by <c>***</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Driver ?? "?").Append("://");
        if (Username is not null)
        {
            text.Append(Username);
            if (Password is not null)
            {
                text.Append(":***");
            }

            text.Append('@');
        }
        else if (Password is not null)
        {
            text.Append(":***@");
        }

        if (Host is not null)
        {
            text.Append(Host);
        }

        if (Port is not null)
        {
            text.Append(':').Append(Port.Value);
        }

        text.Append('/').Append(Database);
        text.Append("?pool_size=").Append(PoolSize);
        text.Append("&pool_timeout=").Append(PoolTimeout.TotalSeconds);
        text.Append("&pool_recycle=").Append(PoolRecycle is { } recycle ? recycle.TotalSeconds : -1);
        if (Echo)
        {
            text.Append("&echo=true");
        }

        // A user name, host or database holding part of the password would otherwise show it.
        return Diagnostics.SecretScrubber.For(Password)?.Scrub(text.ToString()) ?? text.ToString();
    }

    /// <summary>A copy, so that later changes to the caller's object do not reach a configured pool.</summary>
    internal ConnectionConfig Clone()
    {
        var copy = (ConnectionConfig)MemberwiseClone();
        if (_engineOptions is not null)
        {
            copy._engineOptions = new(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in _engineOptions)
            {
                copy._engineOptions[key] = value is IReadOnlyDictionary<string, string> map ? new Dictionary<string, string>(map, StringComparer.OrdinalIgnoreCase) : value;
            }
        }

        copy.Retry = Retry?.Clone();
        CloneReplicas(copy);
        return copy;
    }
}
