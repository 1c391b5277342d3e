using System.Data.Common;
using Switchboard.Dialects;

[assembly: SwitchboardDriver(typeof(Switchboard.SqlServer.SqlServerDriver))]

namespace Switchboard.SqlServer;

/// <summary>The <c>sqlserver</c> driver (alias <c>mssql</c>), over Microsoft.Data.SqlClient.</summary>
/// <remarks>
/// Engine keys: <c>trusted_connection</c> (integrated Windows authentication, instead of a user name and password) and
/// <c>odbc_driver</c>, which is accepted so that ODBC-style configurations load, but has no effect: SqlClient speaks TDS
/// to the server itself and needs no ODBC driver. Connections are always encrypted; the server's certificate is
/// validated except on a loopback host, where a development server's self-signed certificate is trusted.
/// </remarks>
internal sealed class SqlServerDriver : DatabaseDriver
{
    public override string Name => "sqlserver";

    public override IReadOnlyCollection<string> Aliases => ["mssql"];

    public override SqlDialect Dialect { get; } = new SqlServerDialect();

    public override int? DefaultPort => 1433;

    public override IReadOnlyList<EngineOption> Options => SqlServerOptions.All;

    public override SqlLexicon Lexicon => SqlLexicon.BracketQuotes;

    public override void Check(ConnectionConfig config, string connectionName, ICollection<ConfigurationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(config);
        SqlServerOptions.Check(config, problems);
    }

    public override DriverDataSource CreateDataSource(ConnectionConfig config, string connectionName) => new SqlServerDataSource(config, connectionName);

    public override bool IsTransient(Exception exception) => base.IsTransient(exception) || SqlServerErrors.IsTransient(exception);

    public override StatementErrorInfo DescribeError(DbException exception) => SqlServerErrors.Describe(exception);

    /// <summary>SqlBulkCopy per batch inside the copy's transaction; see <see cref="SqlServerBulkWriter"/>.</summary>
    public override BulkWriter CreateBulkWriter(BulkWriteTarget target) => new SqlServerBulkWriter(target);

    public override bool IsDisconnect(Exception exception) => SqlServerErrors.IsDisconnect(exception);

    /// <summary>See <see cref="SqlServerErrors.EffectOnTransaction(Exception)"/>.</summary>
    public override TransactionFailureEffect EffectOnTransaction(DbException exception, DbConnection connection) => SqlServerErrors.EffectOnTransaction(exception);

    public override string Describe(ConnectionConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return $"{Name} at {SqlServerDataSource.DataSource(config)}/{config.Database}";
    }

    public override CatalogQuery ColumnCatalog(string table, string? schema) => SqlServerCatalog.Columns(table, schema);
}
