using Switchboard.Dialects;
using Switchboard.MySql;

namespace Switchboard;

/// <summary>
/// The keys of the <c>mysql</c> and <c>mariadb</c> drivers: <c>charset</c>, <c>ssl</c> and <c>local_infile</c>, with
/// their defaults and checks, and their typed properties on <see cref="ConnectionConfig"/>. Adding a key is one
/// declaration here.
/// </summary>
public static class MySqlOptions
{
    internal static readonly EngineOption<string?> CharsetKey = new("charset", "utf8mb4", "The character set of the connection.");

    internal static readonly EngineOption<IReadOnlyDictionary<string, string>?> SslKey = new("ssl", null, "SSL options: mode, ca, cert, key.");

    internal static readonly EngineOption<bool?> LocalInfileKey = new(
        "local_infile", false, "Lets a copy into this connection use MySqlBulkCopy (LOAD DATA LOCAL) when the server allows it too.");

    internal static IReadOnlyList<EngineOption> All { get; } = [CharsetKey, SslKey, LocalInfileKey];

    internal static void Check(ConnectionConfig config, string driverName, ICollection<ConfigurationProblem> problems)
    {
        if (config.Charset is { } charset && (charset.Length == 0 || !charset.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            problems.Add(new(
                "charset",
                $"charset '{charset}' is not a character set name. Set charset to a {driverName} character set such as {CharsetKey.Default} (the default), or remove it."));
        }

        if (config.Ssl is { } ssl)
        {
            MySqlFamilyDriver.CheckSsl(ssl, driverName, problems);
        }
    }

    extension(ConnectionConfig config)
    {
        /// <summary>MySQL/MariaDB: the character set of the connection (key <c>charset</c>).</summary>
        /// <value><c>utf8mb4</c> when null.</value>
        public string? Charset
        {
            get => CharsetKey.GetValue(config);
            set => CharsetKey.SetValue(config, value);
        }

        /// <summary>MySQL/MariaDB: SSL options, keys <c>mode</c>, <c>ca</c>, <c>cert</c>, <c>key</c> (key <c>ssl</c>).</summary>
        public IReadOnlyDictionary<string, string>? Ssl
        {
            get => SslKey.GetValue(config);
            set => SslKey.SetValue(config, value);
        }

        /// <summary>
        /// MySQL/MariaDB: lets a copy (<c>CopyTo</c>, <c>CopyTable</c>) into this connection use MySqlBulkCopy (LOAD DATA LOCAL)
        /// when the server's <c>local_infile</c> is on too (key <c>local_infile</c>). Off by default: a client that allows
        /// LOAD DATA LOCAL must trust its server.
        /// </summary>
        /// <value>false when null: copies use multi-row INSERTs.</value>
        public bool? LocalInfile
        {
            get => LocalInfileKey.GetValue(config);
            set => LocalInfileKey.SetValue(config, value);
        }
    }
}
