using Switchboard.Dialects;
using Switchboard.PostgreSql;

namespace Switchboard;

/// <summary>
/// The keys of the <c>postgresql</c> driver: <c>schema</c>, <c>sslmode</c>, <c>pooler</c> and <c>auto_prepare</c>, with
/// their defaults and checks, and their typed properties on <see cref="ConnectionConfig"/>. Adding a key is one
/// declaration here.
/// </summary>
public static class PostgreSqlOptions
{
    internal static readonly EngineOption<string?> SchemaKey = new("schema", "public", "The schema searched first (the session's search_path).");

    internal static readonly EngineOption<string?> SslModeKey = new("sslmode", null, "The SSL mode, in libpq's names.");

    internal static readonly EngineOption<string?> PoolerKey = new("pooler", null, "The connection pooler between Switchboard and the server (pgbouncer).");

    internal static readonly EngineOption<bool?> AutoPrepareKey = new("auto_prepare", null, "Whether statements used again are prepared on the server.");

    internal static IReadOnlyList<EngineOption> All { get; } = [SchemaKey, SslModeKey, PoolerKey, AutoPrepareKey];

    internal static void Check(ConnectionConfig config, ICollection<ConfigurationProblem> problems)
    {
        if (config.SslMode is { } mode && !PostgreSqlDriver.SslModes.ContainsKey(mode.Trim()))
        {
            problems.Add(new("sslmode", $"sslmode '{mode}' is not a PostgreSQL SSL mode. Set sslmode to one of {string.Join(", ", PostgreSqlDriver.SslModes.Keys)}."));
        }

        if (config.Schema is { } schema && (string.IsNullOrWhiteSpace(schema) || schema.Contains('\0', StringComparison.Ordinal)))
        {
            problems.Add(new("schema", "schema must name a schema. Set schema to the schema searched first (it defaults to public), or remove it."));
        }

        PostgreSqlPooler.Check(config, problems);
        if (config.ConnectTimeout > TimeSpan.FromSeconds(PostgreSqlDriver.MaxConnectTimeoutSeconds))
        {
            problems.Add(new(
                "connect_timeout",
                $"connect_timeout is {config.ConnectTimeout.TotalSeconds} seconds, but Npgsql accepts at most {PostgreSqlDriver.MaxConnectTimeoutSeconds}. Lower connect_timeout."));
        }
    }

    extension(ConnectionConfig config)
    {
        /// <summary>PostgreSQL: the schema searched first (the session's <c>search_path</c>; with <c>Pooler</c>, each statement's); key <c>schema</c>.</summary>
        /// <value><c>public</c> when null.</value>
        public string? Schema
        {
            get => SchemaKey.GetValue(config);
            set => SchemaKey.SetValue(config, value);
        }

        /// <summary>PostgreSQL: the SSL mode (<c>disable</c>, <c>prefer</c>, <c>require</c>, <c>verify-ca</c>, <c>verify-full</c>); key <c>sslmode</c>.</summary>
        public string? SslMode
        {
            get => SslModeKey.GetValue(config);
            set => SslModeKey.SetValue(config, value);
        }

        /// <summary>
        /// PostgreSQL: the connection pooler between Switchboard and the server, whose limits the connection then keeps (key
        /// <c>pooler</c>). <c>pgbouncer</c> (transaction pooling): nothing is prepared on the server, no startup parameter
        /// PgBouncer refuses is sent, the schema is applied in each statement's own transaction, and <c>init_command</c> is refused.
        /// </summary>
        /// <value>Null: Switchboard keeps one server session per physical connection (no pooler, or one in session mode).</value>
        public string? Pooler
        {
            get => PoolerKey.GetValue(config);
            set => PoolerKey.SetValue(config, value);
        }

        /// <summary>PostgreSQL: whether statements used again are prepared on the server, once per physical connection (key <c>auto_prepare</c>).</summary>
        /// <value>Null: on, unless <c>Pooler</c> is set. False turns server preparation off on its own.</value>
        public bool? AutoPrepare
        {
            get => AutoPrepareKey.GetValue(config);
            set => AutoPrepareKey.SetValue(config, value);
        }
    }
}
