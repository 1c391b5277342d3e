using Npgsql;
using Switchboard.PostgreSql;

namespace Switchboard.Tests.Providers;

/// <summary>Issue 13, behind PgBouncer: the <c>pooler</c> and <c>auto_prepare</c> keys, their checks, and what they change.</summary>
public class PostgreSqlPoolerTests
{
    private static ConnectionConfig Config(Action<ConnectionConfig>? change = null)
    {
        var config = new ConnectionConfig { Driver = "postgresql", Host = "bouncer.internal", Port = 6432, Database = "app", Username = "app", Password = "pw" };
        change?.Invoke(config);
        return config;
    }

    [Fact]
    public void Keys_ReadFromTheUrlDictionaryAndEnvironmentForms()
    {
        var fromUrl = ConnectionConfig.Parse("postgresql://app:pw@bouncer:6432/app?pooler=pgbouncer&auto_prepare=false");
        var fromDictionary = ConnectionConfig.FromDictionary(new Dictionary<string, object?> { ["pooler"] = "pgbouncer", ["auto_prepare"] = true });

        Assert.Equal(("pgbouncer", false), (fromUrl.Pooler, fromUrl.AutoPrepare));
        Assert.Equal(("pgbouncer", true), (fromDictionary.Pooler, fromDictionary.AutoPrepare));
        var wrong = Assert.Throws<ConfigurationException>(() => ConnectionConfig.FromDictionary(new Dictionary<string, object?> { ["auto_prepare"] = "sometimes" }));
        Assert.Equal("auto_prepare", wrong.Key);
    }

    [Fact]
    public void Pooler_Unknown_IsRefusedNamingTheKeyAndTheKnownPooler()
    {
        using var registry = new ConnectionRegistry();

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("app", Config(c => c.Pooler = "pgpool")));

        Assert.Equal("pooler", error.Key);
        Assert.Contains("pgbouncer", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pgbouncer")]
    [InlineData(" PgBouncer ")]
    public void Pooler_PgBouncer_IsAccepted(string pooler)
    {
        using var registry = new ConnectionRegistry();

        Assert.Equal(pooler, registry.Configure("app", Config(c => c.Pooler = pooler)).Config.Pooler);
    }

    [Fact]
    public void Pooler_WithInitCommand_IsRefusedWithTheReason()
    {
        using var registry = new ConnectionRegistry();

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("app", Config(c => (c.Pooler, c.InitCommand) = ("pgbouncer", "SET work_mem = '64MB'"))));

        Assert.Equal("init_command", error.Key);
        Assert.Contains("whichever server session", error.Message, StringComparison.Ordinal);
        Assert.Contains("SET LOCAL", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pooler")]
    [InlineData("auto_prepare")]
    public void Keys_OnAnotherEngine_AreRefused(string key)
    {
        using var registry = new ConnectionRegistry();
        var config = new ConnectionConfig { Driver = "sqlite", Database = ":memory:" };
        if (key == "pooler")
        {
            config.Pooler = "pgbouncer";
        }
        else
        {
            config.AutoPrepare = false;
        }

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("local", config));

        Assert.Equal(key, error.Key);
    }

    [Fact]
    public void ConnectionString_WithPooler_HasNoSearchPathAndNoServerPreparation_ButKeepsUtcAndTheApplicationName()
    {
        var parsed = new NpgsqlConnectionStringBuilder(PostgreSqlDataSource.BuildConnectionString(Config(c => (c.Pooler, c.Schema) = ("pgbouncer", "billing")), "app"));

        Assert.Null(parsed.SearchPath);
        Assert.Null(parsed.Options);
        Assert.Equal(0, parsed.MaxAutoPrepare);
        Assert.Equal("UTC", parsed.Timezone);
        Assert.Equal("Switchboard:app", parsed.ApplicationName);
    }

    [Theory]
    [InlineData(null, null, 128)]
    [InlineData(false, null, 0)]
    [InlineData(true, "pgbouncer", 128)]
    public void ConnectionString_AutoPrepare_DecidesServerPreparation(bool? autoPrepare, string? pooler, int maxAutoPrepare)
    {
        var parsed = new NpgsqlConnectionStringBuilder(PostgreSqlDataSource.BuildConnectionString(Config(c => (c.AutoPrepare, c.Pooler) = (autoPrepare, pooler)), "app"));

        Assert.Equal(maxAutoPrepare, parsed.MaxAutoPrepare);
        Assert.Equal(pooler is null ? "\"public\"" : null, parsed.SearchPath);
    }

    [Fact]
    public void Commands_WithPooler_CarryTheSchema_AndReadBackAsWritten()
    {
        using var pooled = new PostgreSqlDataSource(Config(c => (c.Pooler, c.Schema) = ("pgbouncer", "it's \"odd\"")), "app");
        using var direct = new PostgreSqlDataSource(Config(), "app");
        using var connection = new NpgsqlConnection();

        using var command = pooled.CreateCommand(connection);
        command.CommandText = "SELECT 1";

        Assert.IsType<SchemaScopedCommand>(command);
        Assert.Equal("SELECT 1", command.CommandText);
        Assert.IsType<NpgsqlCommand>(direct.CreateCommand(connection));
    }

    [Theory]
    [InlineData("ROLLBACK TO SAVEPOINT sb_1", true)]
    [InlineData("  release savepoint sb_1", true)]
    [InlineData("COMMIT", true)]
    [InlineData("VACUUM ANALYZE gadgets", true)]
    [InlineData("CREATE DATABASE other", true)]
    [InlineData("CREATE UNIQUE INDEX CONCURRENTLY ix ON gadgets (name)", true)]
    [InlineData("DROP INDEX CONCURRENTLY ix", true)]
    [InlineData("ALTER SYSTEM SET work_mem = '8MB'", true)]
    [InlineData("SELECT * FROM gadgets", false)]
    [InlineData("INSERT INTO concurrently_named (a) VALUES (1)", false)]
    [InlineData("CREATE TABLE gadgets (id INT)", false)]
    [InlineData("WITH x AS (SELECT 1) SELECT * FROM x", false)]
    [InlineData("", false)]
    public void Statements_ThatMustRunAlone_AreSentWithoutTheSchema(string sql, bool alone)
    {
        Assert.Equal(alone, PostgreSqlStatements.MustRunAlone(sql));
    }

    [Theory]
    [InlineData("26000", "prepared statement \"_auto3\" does not exist")]
    [InlineData("42P05", "prepared statement \"_auto0\" already exists")]
    [InlineData("08P01", "bind message supplies 1 parameters, but prepared statement \"_auto1\" requires 2")]
    public void PreparedStatementErrors_NameThePoolerKey(string sqlState, string message)
    {
        var explained = new PostgreSqlDriver().ExplainFailure(new PostgresException(message, "ERROR", "ERROR", sqlState), "SELECT 1");

        Assert.NotNull(explained);
        Assert.Contains("pooler: pgbouncer", explained, StringComparison.Ordinal);
        Assert.Contains("auto_prepare: false", explained, StringComparison.Ordinal);
    }

    [Fact]
    public void SearchPathRefused_NamesThePoolerKey_AndWarnsThatIgnoringItDropsTheSchema()
    {
        var explained = new PostgreSqlDriver().ExplainFailure(new PostgresException("unsupported startup parameter: search_path", "FATAL", "FATAL", "08P01"), statement: null);

        Assert.NotNull(explained);
        Assert.Contains("pooler: pgbouncer", explained, StringComparison.Ordinal);
        Assert.Contains("drop the schema key", explained, StringComparison.Ordinal);
    }
}
