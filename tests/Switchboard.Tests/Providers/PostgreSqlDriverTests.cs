using System.Data;
using System.Net.Sockets;
using Npgsql;
using Switchboard.PostgreSql;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Providers;

public class PostgreSqlDriverTests
{
    private const string Secret = "s3cr3t-Pa55";

    private static readonly PostgreSqlDialect Dialect = new();

    private static ConnectionConfig Config(Action<ConnectionConfig>? change = null)
    {
        var config = new ConnectionConfig
        {
            // Golden SQL of declared names: no catalog to read on a server that is not there.
            Naming = NamingConvention.AsDeclared,
            Driver = "postgresql",
            Host = "db.internal",
            Database = "analytics",
            Username = "app",
            Password = Secret,
        };
        change?.Invoke(config);
        return config;
    }

    [Fact]
    public void ConnectionString_FromConfig_TurnsPoolingOffAndCarriesEveryOption()
    {
        var text = PostgreSqlDataSource.BuildConnectionString(Config(c =>
        {
            c.Port = 6543;
            c.SslMode = "verify-full";
            c.ConnectTimeout = TimeSpan.FromSeconds(7);
            c.CommandTimeout = TimeSpan.FromSeconds(45);
        }), "analytics");

        Assert.Equal(
            "Host=db.internal;Port=6543;Database=analytics;Username=app;Password=s3cr3t-Pa55;Pooling=False;Timeout=7;Command Timeout=47;Cancellation Timeout=1000;"
            + "GSS Encryption Mode=Disable;Application Name=Switchboard:analytics;Search Path='\"public\"';Timezone=UTC;Max Auto Prepare=128;Auto Prepare Min Usages=2;SSL Mode=VerifyFull",
            text);
        var parsed = new NpgsqlConnectionStringBuilder(text);
        Assert.False(parsed.Pooling);
        Assert.Equal("\"public\"", parsed.SearchPath);
        Assert.Equal(SslMode.VerifyFull, parsed.SslMode);
        Assert.Equal(GssEncryptionMode.Disable, parsed.GssEncryptionMode);
    }

    [Fact]
    public void ConnectionString_WithDefaults_UsesPort5432AndPublicSchema()
    {
        var parsed = new NpgsqlConnectionStringBuilder(PostgreSqlDataSource.BuildConnectionString(Config(c => c.Host = null), "reports"));

        Assert.Equal("localhost", parsed.Host);
        Assert.Equal(5432, parsed.Port);
        Assert.Equal("\"public\"", parsed.SearchPath);
        Assert.Equal("Switchboard:reports", parsed.ApplicationName);
        Assert.Equal(SslMode.Prefer, parsed.SslMode);
    }

    [Fact]
    public void ConnectionString_WithHostileSchema_QuotesItAsOneIdentifier()
    {
        var parsed = new NpgsqlConnectionStringBuilder(PostgreSqlDataSource.BuildConnectionString(Config(c => c.Schema = "tenant\", public; x"), "t"));

        Assert.Equal("\"tenant\"\", public; x\"", parsed.SearchPath);
    }

    [Fact]
    public void ConnectionString_WithApplicationName_UsesIt()
    {
        var parsed = new NpgsqlConnectionStringBuilder(PostgreSqlDataSource.BuildConnectionString(Config(c => c.ApplicationName = "billing"), "t"));

        Assert.Equal("billing", parsed.ApplicationName);
    }

    [Theory]
    [InlineData("disable", SslMode.Disable)]
    [InlineData("allow", SslMode.Allow)]
    [InlineData("prefer", SslMode.Prefer)]
    [InlineData("require", SslMode.Require)]
    [InlineData("verify-ca", SslMode.VerifyCA)]
    [InlineData("VERIFY-FULL", SslMode.VerifyFull)]
    public void SslMode_LibpqName_MapsToNpgsqlMode(string name, SslMode expected)
    {
        using var registry = new ConnectionRegistry();
        var connection = registry.Configure("pg", Config(c => c.SslMode = name));

        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(PostgreSqlDataSource.BuildConnectionString(connection.Config, "pg")).SslMode);
    }

    [Fact]
    public void SslMode_Unknown_IsRejectedNamingTheKeyAndTheAllowedValues()
    {
        using var registry = new ConnectionRegistry();

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("pg", Config(c => c.SslMode = "on")));

        Assert.Equal("sslmode", error.Key);
        Assert.Contains("disable, allow, prefer, require, verify-ca, verify-full", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("charset")]
    [InlineData("ssl")]
    [InlineData("service_name")]
    [InlineData("sid")]
    [InlineData("trusted_connection")]
    [InlineData("odbc_driver")]
    [InlineData("journal_mode")]
    public void OptionOfAnotherEngine_IsRejectedNamingTheKey(string key)
    {
        using var registry = new ConnectionRegistry();
        var settings = new Dictionary<string, object?>
        {
            ["driver"] = "postgresql",
            ["host"] = "localhost",
            ["database"] = "app",
            [key] = key switch
            {
                "ssl" => new Dictionary<string, object?> { ["mode"] = "required" },
                "trusted_connection" => true,
                _ => "x",
            },
        };

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("pg", settings));

        Assert.Equal(key, error.Key);
        Assert.Contains("schema, sslmode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConnectTimeout_AboveNpgsqlLimit_IsRejected()
    {
        using var registry = new ConnectionRegistry();

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("pg", Config(c => c.ConnectTimeout = TimeSpan.FromSeconds(2000))));

        Assert.Equal("connect_timeout", error.Key);
    }

    [Theory]
    [InlineData("postgresql")]
    [InlineData("postgres")]
    [InlineData("pg")]
    [InlineData("PostgreSQL")]
    public void DriverName_ResolvesWithoutRegistration(string name)
    {
        using var registry = new ConnectionRegistry();

        var connection = registry.Configure("pg", new Dictionary<string, object?> { ["driver"] = name, ["database"] = "app" });

        Assert.Equal("postgresql", connection.Driver);
        Assert.IsType<PostgreSqlDialect>(connection.Dialect);
    }

    [Fact]
    public void AddPostgreSql_RegistersTheDriverExplicitly()
    {
        using var registry = new ConnectionRegistry().AddPostgreSql();

        Assert.Equal("postgresql", registry.Configure("pg", "pg://app@localhost/app").Driver);
    }

    [Fact]
    public void Password_NeverAppearsInDescriptionsOrConnectFailures()
    {
        using var registry = new ConnectionRegistry();
        var connection = registry.Configure("pg", Config(c =>
        {
            c.Host = "127.0.0.1";
            c.Port = UnusedPort();
            c.ConnectTimeout = TimeSpan.FromSeconds(2);
        }));

        var error = Assert.Throws<ConnectionException>(() => connection.ExecuteRaw("SELECT 1"));

        Assert.True(error.IsTransient);
        Assert.IsAssignableFrom<NpgsqlException>(error.InnerException);
        foreach (var text in new[] { error.Message, error.ToString(), connection.ToString(), connection.Config.ToString(), new PostgreSqlDriver().Describe(Config()) })
        {
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Describe_NamesEngineHostPortAndDatabase()
    {
        Assert.Equal("postgresql at db.internal:5432/analytics", new PostgreSqlDriver().Describe(Config()));
    }

    [Fact]
    public void Query_WithWhereOrderLimitOffset_WritesLimitOffsetAndQuotedNames()
    {
        using var registry = new ConnectionRegistry();
        using var _ = registry.Activate();
        registry.Configure("pg", Config());

        var sql = User.Using("pg").Where(u => u.Status == "active").OrderBy(u => u.Name).Limit(5).Offset(10).ToSql();

        Assert.Equal(
            "SELECT \"Id\", \"Name\", \"Status\", \"email_address\", \"Age\" FROM \"users\" WHERE \"Status\" = @sb_w0 ORDER BY \"Name\" ASC LIMIT 5 OFFSET 10",
            sql);
    }

    [Fact]
    public void Query_WithContains_EscapesWithBackslash()
    {
        using var registry = new ConnectionRegistry();
        using var _ = registry.Activate();
        registry.Configure("pg", Config());

        Assert.EndsWith("WHERE \"Name\" LIKE @sb_w0 ESCAPE '\\'", User.Using("pg").Where(u => u.Name.Contains("50%")).ToSql(), StringComparison.Ordinal);
        Assert.Equal("50\\%\\_\\\\", Dialect.EscapeLike("50%_\\"));
    }

    [Fact]
    public void Insert_WithGeneratedKey_ReturnsItWithReturning()
    {
        Assert.Equal(
            "INSERT INTO \"users\" (\"name\", \"status\") VALUES (@p1, @p2) RETURNING \"id\"",
            Dialect.Insert("\"users\"", ["\"name\"", "\"status\""], ["@p1", "@p2"], "\"id\""));
        Assert.Equal("INSERT INTO \"users\" DEFAULT VALUES RETURNING \"id\"", Dialect.Insert("\"users\"", [], [], "\"id\""));
    }

    [Fact]
    public void QuoteIdentifier_WithHostileName_DoublesTheQuote()
    {
        Assert.Equal("\"users\"\"; DROP TABLE x; --\"", Dialect.QuoteIdentifier("users\"; DROP TABLE x; --"));
    }

    [Fact]
    public void Savepoints_UseStandardStatements()
    {
        Assert.Equal("SAVEPOINT sb_savepoint_1", Dialect.SavepointSql("sb_savepoint_1"));
        Assert.Equal("ROLLBACK TO SAVEPOINT sb_savepoint_1", Dialect.RollbackToSavepointSql("sb_savepoint_1"));
        Assert.Equal("RELEASE SAVEPOINT sb_savepoint_1", Dialect.ReleaseSavepointSql("sb_savepoint_1"));
    }

    [Theory]
    [InlineData(IsolationLevel.ReadUncommitted, true)]
    [InlineData(IsolationLevel.ReadCommitted, true)]
    [InlineData(IsolationLevel.RepeatableRead, true)]
    [InlineData(IsolationLevel.Serializable, true)]
    [InlineData(IsolationLevel.Snapshot, false)]
    [InlineData(IsolationLevel.Chaos, false)]
    public void IsolationLevel_IsSupportedOnlyWherePostgreSqlHasIt(IsolationLevel level, bool supported)
    {
        Assert.Equal(supported, Dialect.SupportsIsolationLevel(level));
    }

    [Fact]
    public void Transaction_AtSnapshot_IsRefusedBeforeConnecting()
    {
        using var registry = new ConnectionRegistry();
        var connection = registry.Configure("pg", Config());

        var error = Assert.Throws<TransactionException>(() => new Transaction(connection, IsolationLevel.Snapshot));

        Assert.Contains("no Snapshot isolation level", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, connection.Statistics.Opened);
    }

    [Fact]
    public void DateTimeOffset_IsSentAsTheSameInstantInUtc()
    {
        var local = new DateTimeOffset(2026, 3, 4, 12, 30, 0, TimeSpan.FromHours(2));

        var sent = Assert.IsType<DateTimeOffset>(Dialect.ToParameterValue(local));

        Assert.Equal(TimeSpan.Zero, sent.Offset);
        Assert.Equal(local, sent);
    }

    [Theory]
    [InlineData("08000")]
    [InlineData("08001")]
    [InlineData("08003")]
    [InlineData("08004")]
    [InlineData("08006")]
    [InlineData("57P01")]
    [InlineData("57P02")]
    [InlineData("57P03")]
    [InlineData("53300")]
    [InlineData("40001")]
    [InlineData("40P01")]
    [InlineData("55P03")]
    public void ServerError_InTransientList_IsTransient(string sqlState)
    {
        Assert.True(new PostgreSqlDriver().IsTransient(new PostgresException("boom", "ERROR", "ERROR", sqlState)));
    }

    [Theory]
    [InlineData("23505")] // unique_violation
    [InlineData("42P01")] // undefined_table
    [InlineData("57014")] // query_canceled
    [InlineData("22012")] // division_by_zero
    public void ServerError_OutsideTransientList_IsNotTransient(string sqlState)
    {
        var driver = new PostgreSqlDriver();
        var error = new PostgresException("boom", "ERROR", "ERROR", sqlState);

        Assert.False(driver.IsTransient(error));
        Assert.False(driver.IsDisconnect(error));
    }

    [Theory]
    [InlineData("57P01", true)]
    [InlineData("57P02", true)]
    [InlineData("57P03", true)]
    [InlineData("08006", true)]
    [InlineData("40001", false)]
    [InlineData("40P01", false)]
    public void ServerError_EndingTheSession_IsADisconnect(string sqlState, bool disconnect)
    {
        Assert.Equal(disconnect, new PostgreSqlDriver().IsDisconnect(new PostgresException("boom", "FATAL", "FATAL", sqlState)));
    }

    [Fact]
    public void SocketFailure_IsTransientAndADisconnect()
    {
        var driver = new PostgreSqlDriver();
        var error = new NpgsqlException("Exception while reading from stream", new IOException("reset", new SocketException((int)SocketError.ConnectionReset)));

        Assert.True(driver.IsTransient(error));
        Assert.True(driver.IsDisconnect(error));
        Assert.False(driver.IsTransient(new InvalidOperationException("not a driver error")));
    }

    private static int UnusedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
