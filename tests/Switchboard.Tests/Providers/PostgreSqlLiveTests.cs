using Switchboard.Tests.Providers.Live;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Providers;

/// <summary>The provider's behaviour against a real PostgreSQL server (<c>SWITCHBOARD_TEST_POSTGRES</c>).</summary>
public sealed class PostgreSqlLiveTests : ProviderLiveTests
{
    protected override string ServerVariable => TestServers.PostgresVariable;

    protected override string DriverName => "postgresql";

    protected override IReadOnlyList<string> Schema =>
    [
        "DROP TABLE IF EXISTS sb_provider_gadgets",
        "CREATE TABLE sb_provider_gadgets (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL, price NUMERIC(12,2) NOT NULL DEFAULT 0, rank INTEGER NOT NULL DEFAULT 0)",
        "DROP TABLE IF EXISTS sb_provider_types",
        """
        CREATE TABLE sb_provider_types (
            id BIGSERIAL PRIMARY KEY, flag BOOLEAN NOT NULL, small SMALLINT NOT NULL, number INTEGER NOT NULL, big BIGINT NOT NULL,
            amount NUMERIC(18,4) NOT NULL, ratio DOUBLE PRECISION NOT NULL, label TEXT NOT NULL, payload BYTEA NOT NULL, token UUID NOT NULL,
            created_at TIMESTAMP NOT NULL, happened_at TIMESTAMPTZ NOT NULL, day DATE NOT NULL, time_of_day TIME NOT NULL, mood INTEGER NOT NULL,
            maybe_flag BOOLEAN, maybe_small SMALLINT, maybe_number INTEGER, maybe_big BIGINT, maybe_amount NUMERIC(18,4), maybe_ratio DOUBLE PRECISION,
            maybe_label TEXT, maybe_payload BYTEA, maybe_token UUID, maybe_created_at TIMESTAMP, maybe_happened_at TIMESTAMPTZ, maybe_day DATE,
            maybe_time_of_day TIME, maybe_mood INTEGER)
        """,
    ];

    protected override string CurrentIsolationSql => "SHOW transaction_isolation";

    protected override string ShortLockWaitSql => "SET LOCAL lock_timeout = '300ms'";

    protected override string SessionIdSql => "SELECT pg_backend_pid()";

    protected override string SessionCountSql => "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = @id";

    /// <summary>PostgreSQL has no session-wide last id that is safe to read after any INSERT: write <c>RETURNING id</c>.</summary>
    protected override bool ReportsLastInsertId => false;

    protected override string KillSql(long sessionId) => $"SELECT pg_terminate_backend({sessionId})";

    [Fact]
    public void Session_HasTheSchemaApplicationNameAndUtcZoneConfigured()
    {
        var connection = Connect();
        connection.Execute("CREATE SCHEMA IF NOT EXISTS \"sb Other\"");
        var config = connection.Config;
        config.Schema = "sb Other";
        config.ApplicationName = "billing";
        var other = connection.Registry.Configure("schema", config);

        Assert.Equal("public", connection.Scalar<string>("SELECT current_schema()"));
        Assert.Equal("Switchboard:live", connection.Scalar<string>("SELECT current_setting('application_name')"));
        Assert.Equal("UTC", connection.Scalar<string>("SELECT current_setting('TimeZone')"));
        Assert.Equal("sb Other", other.Scalar<string>("SELECT current_schema()"));
        Assert.Equal("billing", other.Scalar<string>("SELECT current_setting('application_name')"));
    }

    [Fact]
    public void ExecuteRaw_WithReturning_ReturnsTheKeyAsARow()
    {
        var connection = Connect();

        var result = connection.ExecuteRaw("INSERT INTO sb_provider_gadgets (name, status) VALUES (@name, 'raw') RETURNING id", new { name = "returned" });

        Assert.Equal(1, result.AffectedRows);
        Assert.Equal(Gadget.Where(g => g.Name == "returned").First().Id, result.Scalar<long>());
    }
}
