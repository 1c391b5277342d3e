using Switchboard.IntegrationTests.Chinook;
using Switchboard.Tests.Support;

namespace Switchboard.IntegrationTests.Conformance.Engines;

/// <summary>PostgreSQL (<c>SWITCHBOARD_TEST_POSTGRES</c>): each store is a schema, applied with the <c>schema</c> option as search_path.</summary>
public class PostgreSqlEngine : TestEngine
{
    public override string Name => "PostgreSql";

    public override string Driver => "postgresql";

    public override IReadOnlyList<string> SuiteTables =>
    [
        "CREATE TABLE gadgets (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL, price NUMERIC(12,2) NOT NULL DEFAULT 0, rank INTEGER NOT NULL DEFAULT 0, note TEXT)",
        """
        CREATE TABLE type_samples (
            id BIGSERIAL PRIMARY KEY, flag BOOLEAN NOT NULL, small SMALLINT NOT NULL, number INTEGER NOT NULL, big BIGINT NOT NULL,
            amount NUMERIC(18,4) NOT NULL, ratio DOUBLE PRECISION NOT NULL, label TEXT NOT NULL, payload BYTEA NOT NULL, token UUID NOT NULL,
            created_at TIMESTAMP NOT NULL, happened_at TIMESTAMPTZ NOT NULL, day DATE NOT NULL, time_of_day TIME NOT NULL, mood INTEGER NOT NULL,
            maybe_flag BOOLEAN, maybe_small SMALLINT, maybe_number INTEGER, maybe_big BIGINT, maybe_amount NUMERIC(18,4), maybe_ratio DOUBLE PRECISION,
            maybe_label TEXT, maybe_payload BYTEA, maybe_token UUID, maybe_created_at TIMESTAMP, maybe_happened_at TIMESTAMPTZ, maybe_day DATE,
            maybe_time_of_day TIME, maybe_mood INTEGER)
        """,
    ];

    /// <summary>PostgreSQL has no session-wide last id that is safe to read after any INSERT: one writes <c>RETURNING id</c>.</summary>
    public override bool ReportsLastInsertId => false;

    public override string CurrentIsolationSql => "SHOW transaction_isolation";

    public override string ShortLockWaitSql => "SET LOCAL lock_timeout = '300ms'";

    public override string SessionIdSql => "SELECT pg_backend_pid()";

    public override string SessionCountSql => "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = @id";

    public override ConnectionConfig Server() => FromUrl(TestServers.Require(TestServers.PostgresVariable));

    public override async Task<ConnectionConfig> CreateStoreAsync(Connection admin, string store)
    {
        await admin.ExecuteAsync($"CREATE SCHEMA {store}");
        var config = admin.Config;
        config.Schema = store;
        return config;
    }

    public override Task DropStoreAsync(Connection admin, string store) => admin.ExecuteAsync($"DROP SCHEMA IF EXISTS {store} CASCADE");

    public override string KillSql(long sessionId) => $"SELECT pg_terminate_backend({sessionId})";

    public override NamingConvention ChinookNaming => NamingConvention.SnakeCase;

    /// <summary>The script creates and connects to its own database first (psql's <c>\c</c>): the store is the schema instead.</summary>
    public override IEnumerable<string> ChinookStatements(string script) => [ChinookScript.WithoutDatabaseStatements(script)];
}
