using System.Data;
using Microsoft.Data.SqlClient;
using Switchboard.SqlServer;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Providers;

public class SqlServerDriverTests
{
    private const string Secret = "s3cr3t-Pa55";

    private static readonly SqlServerDialect Dialect = new();

    private static ConnectionConfig Config(Action<ConnectionConfig>? change = null)
    {
        var config = new ConnectionConfig
        {
            // Golden SQL of declared names: no catalog to read on a server that is not there.
            Naming = NamingConvention.AsDeclared,
            Driver = "sqlserver",
            Host = "db.internal",
            Database = "Sales",
            Username = "app",
            Password = Secret,
        };
        change?.Invoke(config);
        return config;
    }

    private static Dictionary<string, object?> Settings(params (string Key, object? Value)[] extra)
    {
        var settings = new Dictionary<string, object?> { ["driver"] = "mssql", ["host"] = "localhost", ["database"] = "Sales" };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public void ConnectionString_FromConfig_TurnsPoolingOffAndEncrypts()
    {
        var text = SqlServerDataSource.BuildConnectionString(Config(c =>
        {
            c.Port = 14330;
            c.ConnectTimeout = TimeSpan.FromSeconds(7);
            c.CommandTimeout = TimeSpan.FromSeconds(45);
        }), "sales");

        Assert.Equal(
            "Data Source=db.internal,14330;Initial Catalog=Sales;User ID=app;Password=s3cr3t-Pa55;Pooling=False;Connect Timeout=7;Encrypt=True;"
            + "Trust Server Certificate=False;Application Name=Switchboard:sales;Command Timeout=45",
            text);
        var parsed = new SqlConnectionStringBuilder(text);
        Assert.False(parsed.Pooling);
        Assert.Equal(SqlConnectionEncryptOption.Mandatory, parsed.Encrypt);
        Assert.False(parsed.TrustServerCertificate);
    }

    [Fact]
    public void ConnectionString_WithDefaults_UsesPort1433AndTrustsALoopbackCertificate()
    {
        var parsed = new SqlConnectionStringBuilder(SqlServerDataSource.BuildConnectionString(Config(c => c.Host = null), "reports"));

        Assert.Equal("localhost,1433", parsed.DataSource);
        Assert.Equal("Switchboard:reports", parsed.ApplicationName);
        Assert.True(parsed.TrustServerCertificate);
        Assert.False(parsed.IntegratedSecurity);
    }

    [Fact]
    public void ConnectionString_WithNamedInstanceAndNoPort_LeavesThePortToTheBrowserService()
    {
        Assert.Equal("db.internal\\SQLEXPRESS", new SqlConnectionStringBuilder(SqlServerDataSource.BuildConnectionString(Config(c => c.Host = "db.internal\\SQLEXPRESS"), "x")).DataSource);
    }

    [Fact]
    public void TrustedConnection_UsesIntegratedSecurityWithoutCredentials()
    {
        using var registry = new ConnectionRegistry();
        var connection = registry.Configure("db", Settings(("trusted_connection", true)));

        var parsed = new SqlConnectionStringBuilder(SqlServerDataSource.BuildConnectionString(connection.Config, "db"));

        Assert.True(parsed.IntegratedSecurity);
        Assert.Equal("", parsed.UserID);
        Assert.Equal("", parsed.Password);
    }

    [Theory]
    [InlineData("username")]
    [InlineData("password")]
    public void TrustedConnection_WithCredentials_IsRejectedNamingTheCredential(string key)
    {
        using var registry = new ConnectionRegistry();

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("db", Settings(("trusted_connection", true), (key, "x"))));

        Assert.Equal(key, error.Key);
        Assert.Contains("trusted_connection", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoUsernameAndNoTrustedConnection_IsRejected()
    {
        using var registry = new ConnectionRegistry();

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("db", Settings()));

        Assert.Equal("username", error.Key);
    }

    [Fact]
    public void OdbcDriver_IsAcceptedAndHasNoEffect()
    {
        using var registry = new ConnectionRegistry();
        var connection = registry.Configure("db", Settings(("username", "app"), ("odbc_driver", "ODBC Driver 17 for SQL Server")));

        var text = SqlServerDataSource.BuildConnectionString(connection.Config, "db");

        Assert.DoesNotContain("ODBC", text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(SqlServerDataSource.BuildConnectionString(registry.Configure("plain", Settings(("username", "app"))).Config, "db"), text);
    }

    [Theory]
    [InlineData("charset")]
    [InlineData("ssl")]
    [InlineData("schema")]
    [InlineData("sslmode")]
    [InlineData("service_name")]
    [InlineData("sid")]
    [InlineData("journal_mode")]
    public void OptionOfAnotherEngine_IsRejectedNamingTheKey(string key)
    {
        using var registry = new ConnectionRegistry();

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("db", Settings(("username", "app"), (key, key == "ssl" ? new Dictionary<string, object?> { ["mode"] = "required" } : "x"))));

        Assert.Equal(key, error.Key);
        Assert.Contains("trusted_connection, odbc_driver", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlserver")]
    [InlineData("mssql")]
    public void DriverName_ResolvesWithoutRegistration(string name)
    {
        using var registry = new ConnectionRegistry();

        var connection = registry.Configure("db", new Dictionary<string, object?> { ["driver"] = name, ["database"] = "Sales", ["username"] = "app" });

        Assert.Equal("sqlserver", connection.Driver);
        Assert.IsType<SqlServerDialect>(connection.Dialect);
    }

    [Fact]
    public void AddSqlServer_RegistersTheDriverExplicitly()
    {
        using var registry = new ConnectionRegistry().AddSqlServer();

        Assert.Equal("sqlserver", registry.Configure("db", "mssql://app@localhost/Sales").Driver);
    }

    [Fact]
    public void Password_NeverAppearsInDescriptions()
    {
        using var registry = new ConnectionRegistry();
        var connection = registry.Configure("db", Config());

        foreach (var text in new[] { connection.ToString(), connection.Config.ToString(), new SqlServerDriver().Describe(Config()) })
        {
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        }

        Assert.Equal("sqlserver at db.internal,1433/Sales", new SqlServerDriver().Describe(Config()));
    }

    [Fact]
    public void Query_WithWhereOrderLimitOffset_WritesOffsetFetch()
    {
        using var registry = new ConnectionRegistry();
        using var _ = registry.Activate();
        registry.Configure("db", Config());

        Assert.Equal(
            "SELECT [Id], [Name], [Status], [email_address], [Age] FROM [users] WHERE [Status] = @sb_w0 ORDER BY [Name] ASC OFFSET 10 ROWS FETCH NEXT 5 ROWS ONLY",
            User.Using("db").Where(u => u.Status == "active").OrderBy(u => u.Name).Limit(5).Offset(10).ToSql());
    }

    [Fact]
    public void Query_PagedWithoutOrder_OrdersByNothingInParticular()
    {
        using var registry = new ConnectionRegistry();
        using var _ = registry.Activate();
        registry.Configure("db", Config());

        Assert.EndsWith("FROM [users] ORDER BY (SELECT NULL) OFFSET 0 ROWS FETCH NEXT 5 ROWS ONLY", User.Using("db").Limit(5).ToSql(), StringComparison.Ordinal);
        Assert.EndsWith("FROM [users] ORDER BY (SELECT NULL) OFFSET 7 ROWS", User.Using("db").Offset(7).ToSql(), StringComparison.Ordinal);
    }

    [Fact]
    public void Query_WithContains_EscapesTheCharacterClassBracketToo()
    {
        using var registry = new ConnectionRegistry();
        using var _ = registry.Activate();
        registry.Configure("db", Config());

        Assert.EndsWith("WHERE [Name] COLLATE Latin1_General_BIN2 LIKE @sb_w0 ESCAPE '\\'", User.Using("db").Where(u => u.Name.Contains("[a]")).ToSql(), StringComparison.Ordinal);
        Assert.Equal("\\[a]\\%\\_\\\\", Dialect.EscapeLike("[a]%_\\"));
    }

    [Fact]
    public void Query_OfTheConformanceSuiteShapes_WritesSqlServerSql()
    {
        using var registry = new ConnectionRegistry();
        using var _ = registry.Activate();
        registry.Configure("db", Config());
        var names = new[] { "Ann", "Bo" };

        Assert.EndsWith(
            "WHERE [Name] IN (@sb_w0, @sb_w1) AND [email_address] IS NULL AND [Name] COLLATE Latin1_General_BIN2 LIKE @sb_w2 ESCAPE '\\' ORDER BY [Age] DESC, [Name] ASC OFFSET 18 ROWS",
            User.Using("db").Where(u => names.Contains(u.Name)).Where(u => u.Email == null).Where(u => u.Name.StartsWith("a_")).OrderByDescending(u => u.Age).OrderBy(u => u.Name).Offset(18).ToSql(),
            StringComparison.Ordinal);
        Assert.EndsWith("FROM [users] WHERE 1 = 0", User.Using("db").Where(u => Array.Empty<string>().Contains(u.Name)).ToSql(), StringComparison.Ordinal);
        Assert.EndsWith("FROM [users] WHERE ([Status] = @sb_w0 AND [email_address] IS NULL)", User.Using("db").Where(new { status = "a", email_address = (string?)null }).ToSql(), StringComparison.Ordinal);
    }

    [Fact]
    public void Insert_WithGeneratedKey_PutsOutputInsertedBeforeValues()
    {
        Assert.Equal(
            "INSERT INTO [users] ([name], [status]) OUTPUT INSERTED.[id] VALUES (@p1, @p2)",
            Dialect.Insert("[users]", ["[name]", "[status]"], ["@p1", "@p2"], "[id]"));
        Assert.Equal("INSERT INTO [users] OUTPUT INSERTED.[id] DEFAULT VALUES", Dialect.Insert("[users]", [], [], "[id]"));
        Assert.Equal("INSERT INTO [users] ([name]) VALUES (@p1)", Dialect.Insert("[users]", ["[name]"], ["@p1"], null));
    }

    [Fact]
    public void QuoteIdentifier_WithHostileName_DoublesTheClosingBracket()
    {
        Assert.Equal("[users]]; DROP TABLE x; --]", Dialect.QuoteIdentifier("users]; DROP TABLE x; --"));
    }

    [Fact]
    public void Savepoints_UseSaveTransactionAndHaveNoRelease()
    {
        Assert.Equal("SAVE TRANSACTION sb_savepoint_1", Dialect.SavepointSql("sb_savepoint_1"));
        Assert.Equal("ROLLBACK TRANSACTION sb_savepoint_1", Dialect.RollbackToSavepointSql("sb_savepoint_1"));
        Assert.Null(Dialect.ReleaseSavepointSql("sb_savepoint_1"));
    }

    [Theory]
    [InlineData(IsolationLevel.ReadUncommitted, true)]
    [InlineData(IsolationLevel.ReadCommitted, true)]
    [InlineData(IsolationLevel.RepeatableRead, true)]
    [InlineData(IsolationLevel.Serializable, true)]
    [InlineData(IsolationLevel.Snapshot, true)]
    [InlineData(IsolationLevel.Chaos, false)]
    public void IsolationLevel_IncludesSnapshot(IsolationLevel level, bool supported)
    {
        Assert.Equal(supported, Dialect.SupportsIsolationLevel(level));
    }

    [Fact]
    public void Parameters_OfEveryMappedType_GetALosslessSqlType()
    {
        using var command = new SqlCommand();
        var values = new Dictionary<string, object?>
        {
            ["created"] = new DateTime(2026, 1, 2, 3, 4, 5).AddTicks(1234567),
            ["happened"] = DateTimeOffset.UnixEpoch,
            ["day"] = new DateOnly(2026, 1, 2),
            ["time"] = new TimeOnly(13, 45),
            ["token"] = Guid.Empty,
            ["flag"] = true,
            ["amount"] = 1.5m,
            ["mood"] = DayOfWeek.Friday,
        };

        ParameterBinder.Bind(command, Dialect, CommandParameters.From(values));

        Assert.Equal(
            [SqlDbType.DateTime2, SqlDbType.DateTimeOffset, SqlDbType.Date, SqlDbType.Time, SqlDbType.UniqueIdentifier, SqlDbType.Bit, SqlDbType.Decimal, SqlDbType.Int],
            command.Parameters.Cast<SqlParameter>().Select(p => p.SqlDbType));
    }

    [Theory]
    [InlineData(1205)]
    [InlineData(1222)]
    [InlineData(-2)]
    [InlineData(20)]
    [InlineData(64)]
    [InlineData(233)]
    [InlineData(4060)]
    [InlineData(10053)]
    [InlineData(10054)]
    [InlineData(10060)]
    [InlineData(10928)]
    [InlineData(10929)]
    [InlineData(40197)]
    [InlineData(40501)]
    [InlineData(40613)]
    [InlineData(49918)]
    [InlineData(49919)]
    [InlineData(49920)]
    public void ErrorNumber_InTransientList_IsTransient(int number)
    {
        // SqlException has no public constructor: the decision is tested on numbers, which the driver reads from SqlException.Errors.
        Assert.True(SqlServerErrors.IsTransient(number));
    }

    [Theory]
    [InlineData(2627)] // unique key violation
    [InlineData(208)] // invalid object name
    [InlineData(547)] // constraint conflict
    public void ErrorNumber_OutsideTheList_IsNotTransient(int number)
    {
        Assert.False(SqlServerErrors.IsTransient(number));
        Assert.False(SqlServerErrors.IsDisconnect(number, severity: 16));
    }

    [Theory]
    [InlineData(10054, 16, true)]
    [InlineData(233, 16, true)]
    [InlineData(1205, 13, false)]
    [InlineData(50000, 20, true)] // severity 20 and above ends the session whatever the number
    public void ErrorNumberOrSeverity_EndingTheSession_IsADisconnect(int number, byte severity, bool disconnect)
    {
        Assert.Equal(disconnect, SqlServerErrors.IsDisconnect(number, severity));
    }
}
