using System.Data.Common;
using Switchboard.Dialects;

[assembly: SwitchboardDriver(typeof(Switchboard.Oracle.OracleDriver))]

namespace Switchboard.Oracle;

/// <summary>The <c>oracle</c> driver, over the <see cref="DbProviderFactory"/> the application registers with <c>AddOracle</c>.</summary>
/// <remarks>
/// No Oracle ADO.NET provider ships with Switchboard, so the driver resolved by name alone has no factory and refuses
/// to configure, saying what to reference and register. Engine keys: exactly one of <c>service_name</c> and <c>sid</c>;
/// <c>database</c> does not apply (Oracle selects the target by service or SID, and the schema is the user's).
/// </remarks>
internal sealed class OracleDriver : DatabaseDriver
{
    /// <summary>The driver as resolved by name: without a factory, it explains how to register one.</summary>
    public OracleDriver()
    {
    }

    public OracleDriver(DbProviderFactory factory)
    {
        Factory = factory;
    }

    public DbProviderFactory? Factory { get; }

    public override string Name => "oracle";

    public override SqlDialect Dialect { get; } = new OracleDialect();

    public override int? DefaultPort => 1521;

    public override bool RequiresDatabase => false;

    public override IReadOnlyList<EngineOption> Options => OracleOptions.All;

    public override void Check(ConnectionConfig config, string connectionName, ICollection<ConfigurationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(problems);
        if (Factory is null)
        {
            problems.Add(new(
                "driver",
                "the oracle driver needs Oracle's ADO.NET provider, which Switchboard does not ship. "
                + "Add the Oracle.ManagedDataAccess.Core package and call registry.AddOracle(OracleClientFactory.Instance) "
                + "(for ConnectionManager: ConnectionRegistry.Default.AddOracle(OracleClientFactory.Instance)) before configuring it."));
            return;
        }

        OracleOptions.Check(config, problems);
    }

    public override DriverDataSource CreateDataSource(ConnectionConfig config, string connectionName) =>
        new OracleDataSource(Factory ?? throw new InvalidOperationException("The oracle driver has no factory; Validate refuses this configuration."), config);

    public override bool IsTransient(Exception exception) => base.IsTransient(exception) || OracleErrors.IsTransient(exception);

    public override StatementErrorInfo DescribeError(DbException exception) => OracleErrors.Describe(exception);

    public override bool IsDisconnect(Exception exception) => OracleErrors.IsDisconnect(exception);

    /// <summary>
    /// Oracle rolls back only the failed statement (statement-level rollback), even for a deadlock (ORA-00060), which
    /// undoes the victim's statement and leaves its transaction open. A lost session is decided before this is asked.
    /// </summary>
    public override TransactionFailureEffect EffectOnTransaction(DbException exception, DbConnection connection) => TransactionFailureEffect.StatementUndone;

    public override string Describe(ConnectionConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var target = config.ServiceName is { } service ? "service " + service : "SID " + config.Sid;
        return $"{Name} at {config.Host ?? "localhost"}:{config.Port ?? DefaultPort} ({target})";
    }

    public override CatalogQuery ColumnCatalog(string table, string? schema) => OracleCatalog.Columns(table, schema);
}
