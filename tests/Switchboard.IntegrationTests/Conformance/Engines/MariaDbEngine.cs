using Switchboard.IntegrationTests.Chinook;
using Switchboard.Tests.Support;

namespace Switchboard.IntegrationTests.Conformance.Engines;

/// <summary>MariaDB (<c>SWITCHBOARD_TEST_MYSQL</c>, configured as <c>mariadb</c>): each store is a database.</summary>
public sealed class MariaDbEngine : TestEngine
{
    public override string Name => "MySql";

    public override string Driver => "mariadb";

    public override IReadOnlyList<string> SuiteTables =>
    [
        "CREATE TABLE gadgets (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(200) NOT NULL, status VARCHAR(50) NOT NULL, price DECIMAL(12,2) NOT NULL DEFAULT 0, `rank` INT NOT NULL DEFAULT 0, note VARCHAR(200)) ENGINE=InnoDB",
        """
        CREATE TABLE type_samples (
            id BIGINT AUTO_INCREMENT PRIMARY KEY, flag BOOLEAN NOT NULL, small SMALLINT NOT NULL, number INT NOT NULL, big BIGINT NOT NULL,
            amount DECIMAL(18,4) NOT NULL, ratio DOUBLE NOT NULL, label VARCHAR(200) NOT NULL, payload VARBINARY(200) NOT NULL, token CHAR(36) NOT NULL,
            created_at DATETIME(6) NOT NULL, happened_at DATETIME(6) NOT NULL, day DATE NOT NULL, time_of_day TIME(6) NOT NULL, mood INT NOT NULL,
            maybe_flag BOOLEAN, maybe_small SMALLINT, maybe_number INT, maybe_big BIGINT, maybe_amount DECIMAL(18,4), maybe_ratio DOUBLE,
            maybe_label VARCHAR(200), maybe_payload VARBINARY(200), maybe_token CHAR(36), maybe_created_at DATETIME(6), maybe_happened_at DATETIME(6),
            maybe_day DATE, maybe_time_of_day TIME(6), maybe_mood INT) ENGINE=InnoDB
        """,
    ];

    // InnoDB lists a transaction in information_schema once it writes, and refreshes that list every 0.1 s.
    public override string CurrentIsolationSql => "SELECT trx_isolation_level FROM information_schema.innodb_trx WHERE trx_mysql_thread_id = CONNECTION_ID()";

    public override bool IsolationVisibleAfterWriteOnly => true;

    public override string ShortLockWaitSql => "SET SESSION innodb_lock_wait_timeout = 1";

    public override string SessionIdSql => "SELECT CONNECTION_ID()";

    public override string SessionCountSql => "SELECT COUNT(*) FROM information_schema.processlist WHERE id = @id";

    public override ConnectionConfig Server() => FromUrl(TestServers.Require(TestServers.MySqlVariable));

    public override async Task<ConnectionConfig> CreateStoreAsync(Connection admin, string store)
    {
        await admin.ExecuteAsync($"CREATE DATABASE {store} CHARACTER SET utf8mb4");
        var config = admin.Config;
        config.Database = store;
        return config;
    }

    public override Task DropStoreAsync(Connection admin, string store) => admin.ExecuteAsync($"DROP DATABASE IF EXISTS {store}");

    public override string KillSql(long sessionId) => $"KILL CONNECTION {sessionId}";

    /// <summary>The script drops, creates and USEs a database called Chinook: the store is the database instead.</summary>
    public override IEnumerable<string> ChinookStatements(string script) => [ChinookScript.WithoutDatabaseStatements(script)];
}
