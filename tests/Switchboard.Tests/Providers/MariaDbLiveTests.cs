using Switchboard.Tests.Providers.Live;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Providers;

/// <summary>The MySQL provider's behaviour against a real MariaDB server (<c>SWITCHBOARD_TEST_MYSQL</c>), configured as <c>mariadb</c>.</summary>
public sealed class MariaDbLiveTests : ProviderLiveTests
{
    protected override string ServerVariable => TestServers.MySqlVariable;

    protected override string DriverName => "mariadb";

    protected override IReadOnlyList<string> Schema =>
    [
        "DROP TABLE IF EXISTS sb_provider_gadgets",
        "CREATE TABLE sb_provider_gadgets (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, status VARCHAR(20) NOT NULL, price DECIMAL(12,2) NOT NULL DEFAULT 0, `rank` INT NOT NULL DEFAULT 0) ENGINE=InnoDB",
        "DROP TABLE IF EXISTS sb_provider_types",
        """
        CREATE TABLE sb_provider_types (
            id BIGINT AUTO_INCREMENT PRIMARY KEY, flag BOOLEAN NOT NULL, small SMALLINT NOT NULL, number INT NOT NULL, big BIGINT NOT NULL,
            amount DECIMAL(18,4) NOT NULL, ratio DOUBLE NOT NULL, label VARCHAR(200) NOT NULL, payload VARBINARY(200) NOT NULL, token CHAR(36) NOT NULL,
            created_at DATETIME(6) NOT NULL, happened_at DATETIME(6) NOT NULL, day DATE NOT NULL, time_of_day TIME(6) NOT NULL, mood INT NOT NULL,
            maybe_flag BOOLEAN, maybe_small SMALLINT, maybe_number INT, maybe_big BIGINT, maybe_amount DECIMAL(18,4), maybe_ratio DOUBLE,
            maybe_label VARCHAR(200), maybe_payload VARBINARY(200), maybe_token CHAR(36), maybe_created_at DATETIME(6), maybe_happened_at DATETIME(6),
            maybe_day DATE, maybe_time_of_day TIME(6), maybe_mood INT) ENGINE=InnoDB CHARACTER SET utf8mb4
        """,
    ];

    protected override string CurrentIsolationSql => "SELECT trx_isolation_level FROM information_schema.innodb_trx WHERE trx_mysql_thread_id = CONNECTION_ID()";

    protected override string ShortLockWaitSql => "SET SESSION innodb_lock_wait_timeout = 1";

    protected override string SessionIdSql => "SELECT CONNECTION_ID()";

    protected override string SessionCountSql => "SELECT COUNT(*) FROM information_schema.processlist WHERE id = @id";

    protected override bool ReportsLastInsertId => true;

    protected override string KillSql(long sessionId) => $"KILL CONNECTION {sessionId}";

    [Fact]
    public void Session_UsesUtf8mb4()
    {
        var connection = Connect();

        Assert.Equal("utf8mb4", connection.Scalar<string>("SELECT @@character_set_connection"));
        Assert.Equal("utf8mb4", connection.Scalar<string>("SELECT @@character_set_client"));
    }
}
