using System.Data.Common;
using MySqlConnector;
using Switchboard.Dialects;

namespace Switchboard.MySql;

/// <summary>
/// What the <c>mysql</c> and <c>mariadb</c> drivers share: both run over MySqlConnector with the same dialect. They are
/// two drivers rather than one with an alias so that <see cref="Connection.Driver"/> reports the name the user configured.
/// </summary>
/// <remarks>
/// Engine keys: <c>charset</c> (default <c>utf8mb4</c>) and <c>ssl</c>, a dictionary with <c>mode</c>, <c>ca</c>,
/// <c>cert</c> and <c>key</c>.
/// </remarks>
internal abstract class MySqlFamilyDriver : DatabaseDriver
{
    /// <summary>The ssl modes accepted: MySQL's own names (<c>--ssl-mode</c>) and MySqlConnector's.</summary>
    public static readonly IReadOnlyDictionary<string, MySqlSslMode> SslModes = new Dictionary<string, MySqlSslMode>(StringComparer.OrdinalIgnoreCase)
    {
        ["disabled"] = MySqlSslMode.None,
        ["preferred"] = MySqlSslMode.Preferred,
        ["required"] = MySqlSslMode.Required,
        ["verify_ca"] = MySqlSslMode.VerifyCA,
        ["verify_identity"] = MySqlSslMode.VerifyFull,
        ["none"] = MySqlSslMode.None,
        ["verifyca"] = MySqlSslMode.VerifyCA,
        ["verifyfull"] = MySqlSslMode.VerifyFull,
    };

    /// <summary>The keys of the <c>ssl</c> dictionary.</summary>
    public static readonly IReadOnlyList<string> SslKeys = ["mode", "ca", "cert", "key"];

    public override SqlDialect Dialect { get; } = new MySqlDialect();

    public override int? DefaultPort => 3306;

    public override IReadOnlyList<EngineOption> Options => MySqlOptions.All;

    public override SqlLexicon Lexicon => SqlLexicon.HashComments | SqlLexicon.BacktickQuotes | SqlLexicon.BackslashEscapes | SqlLexicon.ExecutableComments;

    // MariaDB's GTIDs; on MySQL the position query fails and read-your-writes falls back to the window.
    public override ReplicaProtocol? Replication => MariaDbReplicas.Instance;

    public override void Check(ConnectionConfig config, string connectionName, ICollection<ConfigurationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(config);
        MySqlOptions.Check(config, Name, problems);
    }

    public override DriverDataSource CreateDataSource(ConnectionConfig config, string connectionName) => new MySqlDataSource(config, connectionName);

    public override bool IsTransient(Exception exception) => base.IsTransient(exception) || MySqlErrors.IsTransient(exception);

    public override StatementErrorInfo DescribeError(DbException exception) => MySqlErrors.Describe(exception);

    /// <summary>Multi-row INSERTs inside the copy's transaction; see <see cref="MySqlBulkWriter"/>.</summary>
    public override BulkWriter CreateBulkWriter(BulkWriteTarget target) => new MySqlBulkWriter(target);

    public override bool IsDisconnect(Exception exception) => MySqlErrors.IsDisconnect(exception);

    /// <summary>MySqlConnector's own command timeout (it sends KILL QUERY itself and throws error -1), which can fire a moment before Switchboard's deadline.</summary>
    public override bool IsClientTimeout(Exception exception) => exception is MySqlException { ErrorCode: MySqlErrorCode.CommandTimeoutExpired };

    /// <summary>
    /// InnoDB undoes only the failed statement, except for the errors in <see cref="MySqlErrors.TransactionRollbackNumbers"/>
    /// (a deadlock victim), after which the transaction is gone and later statements would run on their own in autocommit.
    /// A lock wait timeout (1205) undoes only the statement unless the server runs with innodb_rollback_on_timeout.
    /// </summary>
    public override TransactionFailureEffect EffectOnTransaction(DbException exception, DbConnection connection) =>
        exception is MySqlException mysql && MySqlErrors.TransactionRollbackNumbers.Contains(mysql.Number)
            ? TransactionFailureEffect.TransactionRolledBack
            : TransactionFailureEffect.StatementUndone;

    public override string? ExplainFailure(Exception exception, string? statement) => MySqlErrors.Explain(exception);

    internal static void CheckSsl(IReadOnlyDictionary<string, string> ssl, string driverName, ICollection<ConfigurationProblem> problems)
    {
        foreach (var key in ssl.Keys)
        {
            if (!SslKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add(new("ssl", $"ssl has an unknown key '{key}'. The ssl dictionary of the {driverName} driver accepts {string.Join(", ", SslKeys)}."));
            }
        }

        if (Read(ssl, "mode") is { } mode && !SslModes.ContainsKey(mode.Trim()))
        {
            problems.Add(new(
                "ssl",
                $"ssl mode '{mode}' is not a {driverName} SSL mode. Set ssl's mode to one of disabled, preferred, required, verify_ca, verify_identity "
                + "(MySqlConnector's none, verifyca and verifyfull are accepted too)."));
        }

        if ((Read(ssl, "cert") is null) != (Read(ssl, "key") is null))
        {
            problems.Add(new(
                "ssl",
                "ssl has only one of cert and key. A client certificate needs both: set ssl's cert to the certificate file and key to its private key file."));
        }
    }

    /// <summary>A value of the <c>ssl</c> dictionary, whatever the case of its key; empty counts as absent.</summary>
    public static string? Read(IReadOnlyDictionary<string, string> ssl, string key)
    {
        foreach (var (name, value) in ssl)
        {
            if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }
        }

        return null;
    }

    public override CatalogQuery ColumnCatalog(string table, string? schema) => MySqlCatalog.Columns(table, schema);
}
