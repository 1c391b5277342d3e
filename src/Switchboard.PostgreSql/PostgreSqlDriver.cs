using System.Data.Common;
using Npgsql;
using Switchboard.Dialects;

[assembly: SwitchboardDriver(typeof(Switchboard.PostgreSql.PostgreSqlDriver))]

namespace Switchboard.PostgreSql;

/// <summary>The <c>postgresql</c> driver (aliases <c>postgres</c>, <c>pg</c>), over Npgsql.</summary>
/// <remarks>
/// Engine keys: <c>schema</c> (default <c>public</c>, sent as the session's <c>search_path</c>), <c>sslmode</c>
/// (libpq's names), <c>pooler</c> (<c>pgbouncer</c>: behind a transaction-pooling PgBouncer) and <c>auto_prepare</c>. Sessions run with <c>TimeZone = UTC</c>, so that conversions between <c>timestamp</c> and
/// <c>timestamptz</c> never shift a value by the server's local offset.
/// </remarks>
internal sealed class PostgreSqlDriver : DatabaseDriver
{
    /// <summary>Npgsql refuses a connection timeout above this many seconds.</summary>
    public const int MaxConnectTimeoutSeconds = 1024;

    /// <summary>libpq's sslmode names.</summary>
    public static readonly IReadOnlyDictionary<string, SslMode> SslModes = new Dictionary<string, SslMode>(StringComparer.OrdinalIgnoreCase)
    {
        ["disable"] = SslMode.Disable,
        ["allow"] = SslMode.Allow,
        ["prefer"] = SslMode.Prefer,
        ["require"] = SslMode.Require,
        ["verify-ca"] = SslMode.VerifyCA,
        ["verify-full"] = SslMode.VerifyFull,
    };

    public override string Name => "postgresql";

    public override IReadOnlyCollection<string> Aliases => ["postgres", "pg"];

    public override SqlDialect Dialect { get; } = new PostgreSqlDialect();

    public override int? DefaultPort => 5432;

    public override IReadOnlyList<EngineOption> Options => PostgreSqlOptions.All;

    public override SqlLexicon Lexicon => SqlLexicon.DollarQuotes | SqlLexicon.NestedBlockComments;

    public override ReplicaProtocol? Replication => PostgreSqlReplicas.Instance;

    public override void Check(ConnectionConfig config, string connectionName, ICollection<ConfigurationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(config);
        PostgreSqlOptions.Check(config, problems);
    }

    public override DriverDataSource CreateDataSource(ConnectionConfig config, string connectionName) => new PostgreSqlDataSource(config, connectionName);

    public override bool IsTransient(Exception exception) => base.IsTransient(exception) || PostgreSqlErrors.IsTransient(exception);

    public override StatementErrorInfo DescribeError(DbException exception) => PostgreSqlErrors.Describe(exception);

    /// <summary>Binary COPY, one per batch; see <see cref="PostgreSqlBulkWriter"/>.</summary>
    public override BulkWriter CreateBulkWriter(BulkWriteTarget target) => new PostgreSqlBulkWriter(target);

    public override bool IsDisconnect(Exception exception) => PostgreSqlErrors.IsDisconnect(exception);

    /// <summary>
    /// Any error the server reports puts the transaction in the aborted state (25P02 for every later statement, and COMMIT
    /// answered with ROLLBACK), from which only ROLLBACK TO SAVEPOINT recovers. Any other Npgsql failure (I/O, timeout)
    /// leaves the session's state unknown, so the transaction counts as lost.
    /// </summary>
    public override TransactionFailureEffect EffectOnTransaction(DbException exception, DbConnection connection) =>
        exception is PostgresException ? TransactionFailureEffect.TransactionAborted : TransactionFailureEffect.TransactionRolledBack;

    public override string? ExplainFailure(Exception exception, string? statement) => PostgreSqlErrors.Explain(exception, statement);

    /// <summary>
    /// <c>0A000</c> raised where PostgreSQL revalidates a cached plan (the routine name is not translated, unlike the
    /// message); Npgsql invalidates the prepared statement on it, so the next execution prepares it again. The exception
    /// may be Switchboard's redacted copy of Npgsql's (when its text held part of the password), which keeps the SQLSTATE.
    /// </summary>
    public override bool IsStalePreparedStatement(Exception exception) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.FeatureNotSupported } postgres =>
            postgres.Routine == "RevalidateCachedQuery" || postgres.MessageText.Contains("cached plan", StringComparison.Ordinal),
        RedactedDriverException { SqlState: PostgresErrorCodes.FeatureNotSupported } redacted =>
            redacted.Message.Contains("cached plan", StringComparison.Ordinal),
        _ => false,
    };

    public override CatalogQuery ColumnCatalog(string table, string? schema) => PostgreSqlCatalog.Columns(table, schema);
}
