using System.Data.Common;
using Microsoft.Data.Sqlite;
using Switchboard.Dialects;

[assembly: SwitchboardDriver(typeof(Switchboard.Sqlite.SqliteDriver))]

namespace Switchboard.Sqlite;

/// <summary>The <c>sqlite</c> driver.</summary>
internal sealed class SqliteDriver : DatabaseDriver
{
    // SQLITE_BUSY and SQLITE_LOCKED: another connection holds the lock; retrying may succeed.
    private const int Busy = 5;
    private const int Locked = 6;

    public override string Name => "sqlite";

    public override IReadOnlyCollection<string> Aliases => ["sqlite3"];

    public override SqlDialect Dialect { get; } = new SqliteDialect();

    public override bool IsServerEngine => false;

    public override IReadOnlyList<EngineOption> Options => SqliteOptions.All;

    /// <summary>SQLAlchemy's form: <c>sqlite:///relative.db</c>, <c>sqlite:////absolute.db</c>, <c>sqlite:///:memory:</c>.</summary>
    public override bool UrlNamesFile => true;

    public override SqlLexicon Lexicon => SqlLexicon.BacktickQuotes | SqlLexicon.BracketQuotes;

    public override ReplicaProtocol? Replication => SqliteReplicas.Instance;

    public override void Check(ConnectionConfig config, string connectionName, ICollection<ConfigurationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(config);
        SqliteOptions.Check(config, problems);
    }

    /// <summary>A relative path is relative to the working directory when configured, not when first used.</summary>
    public override ConnectionConfig Normalize(ConnectionConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!SqliteDataSource.IsMemory(config.Database!))
        {
            config.Database = Path.GetFullPath(config.Database!);
        }

        return config;
    }

    public override DriverDataSource CreateDataSource(ConnectionConfig config, string connectionName) => new SqliteDataSource(config, connectionName);

    /// <summary>One prepared INSERT per row inside the copy's transaction; see <see cref="SqliteBulkWriter"/>.</summary>
    public override BulkWriter CreateBulkWriter(BulkWriteTarget target) => new SqliteBulkWriter(target);

    /// <summary>An interrupted statement leaves the connection idle and usable (see <see cref="InterruptibleCommand"/>).</summary>
    public override bool ConnectionSurvivesCancellation => true;

    public override bool IsTransient(Exception exception) => exception is SqliteException { SqliteErrorCode: Busy or Locked };

    public override StatementErrorInfo DescribeError(DbException exception) => SqliteErrors.Describe(exception);

    /// <summary>
    /// SQLite undoes only the statement after most errors (constraints included), but after SQLITE_FULL, IOERR, BUSY,
    /// NOMEM or INTERRUPT it may roll back the whole transaction. The connection says which happened: it is back in
    /// autocommit mode exactly when the transaction is gone (sqlite3_get_autocommit).
    /// </summary>
    public override TransactionFailureEffect EffectOnTransaction(DbException exception, DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && SQLitePCL.raw.sqlite3_get_autocommit(handle) == 0
            ? TransactionFailureEffect.StatementUndone
            : TransactionFailureEffect.TransactionRolledBack;

    public override string? ExplainFailure(Exception exception, string? statement)
    {
        // Microsoft.Data.Sqlite: "Must add values for the following parameters: @a, @b".
        const string Unbound = "Must add values for the following parameters: ";
        if (exception is InvalidOperationException && exception.Message.StartsWith(Unbound, StringComparison.Ordinal))
        {
            var names = exception.Message[Unbound.Length..].TrimEnd('.').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(n => n.TrimStart('@', ':', '$'));
            return string.Join(" ", names.Select(n => $"The statement uses the parameter @{n}, but no value named '{n}' was given: add {n} to the parameters."));
        }

        return null;
    }

    public override string Describe(ConnectionConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return SqliteDataSource.IsMemory(config.Database!) ? "sqlite in-memory database" : $"sqlite file {config.Database}";
    }

    public override CatalogQuery ColumnCatalog(string table, string? schema) => SqliteCatalog.Columns(table, schema);
}
