using Switchboard.IntegrationTests.Chinook;
using Switchboard.Tests.Support;

namespace Switchboard.IntegrationTests.Conformance.Engines;

/// <summary>
/// SQL Server (<c>SWITCHBOARD_TEST_SQLSERVER</c>; never available here, so it skips even under CI): each store is a
/// database with snapshot isolation allowed.
/// </summary>
public sealed class SqlServerEngine : TestEngine
{
    public override string Name => "SqlServer";

    public override string Driver => "sqlserver";

    public override IReadOnlyList<string> SuiteTables =>
    [
        "CREATE TABLE gadgets (id BIGINT IDENTITY(1,1) PRIMARY KEY, name NVARCHAR(200) NOT NULL, status NVARCHAR(50) NOT NULL, price DECIMAL(12,2) NOT NULL DEFAULT 0, [rank] INT NOT NULL DEFAULT 0, note NVARCHAR(200) NULL)",
        """
        CREATE TABLE type_samples (
            id BIGINT IDENTITY(1,1) PRIMARY KEY, flag BIT NOT NULL, small SMALLINT NOT NULL, number INT NOT NULL, big BIGINT NOT NULL,
            amount DECIMAL(18,4) NOT NULL, ratio FLOAT NOT NULL, label NVARCHAR(200) NOT NULL, payload VARBINARY(200) NOT NULL, token UNIQUEIDENTIFIER NOT NULL,
            created_at DATETIME2(7) NOT NULL, happened_at DATETIMEOFFSET(7) NOT NULL, day DATE NOT NULL, time_of_day TIME(7) NOT NULL, mood INT NOT NULL,
            maybe_flag BIT, maybe_small SMALLINT, maybe_number INT, maybe_big BIGINT, maybe_amount DECIMAL(18,4), maybe_ratio FLOAT,
            maybe_label NVARCHAR(200), maybe_payload VARBINARY(200), maybe_token UNIQUEIDENTIFIER, maybe_created_at DATETIME2(7), maybe_happened_at DATETIMEOFFSET(7),
            maybe_day DATE, maybe_time_of_day TIME(7), maybe_mood INT)
        """,
    ];

    public override string CurrentIsolationSql =>
        "SELECT CASE transaction_isolation_level WHEN 1 THEN 'read uncommitted' WHEN 2 THEN 'read committed' WHEN 3 THEN 'repeatable read' "
        + "WHEN 4 THEN 'serializable' WHEN 5 THEN 'snapshot' END FROM sys.dm_exec_sessions WHERE session_id = @@SPID";

    public override string ShortLockWaitSql => "SET LOCK_TIMEOUT 1000";

    public override string SessionIdSql => "SELECT CAST(@@SPID AS bigint)";

    public override string SessionCountSql => "SELECT COUNT(*) FROM sys.dm_exec_sessions WHERE session_id = @id";

    public override ConnectionConfig Server() => FromUrl(TestServers.Require(TestServers.SqlServerVariable, requiredInCi: false));

    public override async Task<ConnectionConfig> CreateStoreAsync(Connection admin, string store)
    {
        await admin.ExecuteAsync($"CREATE DATABASE [{store}]");
        await admin.ExecuteAsync($"ALTER DATABASE [{store}] SET ALLOW_SNAPSHOT_ISOLATION ON");
        var config = admin.Config;
        config.Database = store;
        return config;
    }

    public override async Task DropStoreAsync(Connection admin, string store)
    {
        await admin.ExecuteAsync($"IF DB_ID('{store}') IS NOT NULL ALTER DATABASE [{store}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE");
        await admin.ExecuteAsync($"DROP DATABASE IF EXISTS [{store}]");
    }

    public override string KillSql(long sessionId) => $"KILL {sessionId}";

    /// <summary>The script is batches separated by GO; the first ones drop, create and USE a database called Chinook.</summary>
    public override IEnumerable<string> ChinookStatements(string script) =>
        ChinookScript.Batches(script).SkipWhile(batch => !batch.TrimStart().StartsWith("USE ", StringComparison.OrdinalIgnoreCase)).Skip(1);
}
