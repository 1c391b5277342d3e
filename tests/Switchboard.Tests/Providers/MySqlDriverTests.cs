using System.Data;
using MySqlConnector;
using Switchboard.MySql;
using MySqlDataSource = Switchboard.MySql.MySqlDataSource;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Providers;

public class MySqlDriverTests
{
    private const string Secret = "s3cr3t-Pa55";

    private static readonly MySqlDialect Dialect = new();

    private static ConnectionConfig Config(Action<ConnectionConfig>? change = null)
    {
        var config = new ConnectionConfig
        {
            // Golden SQL of declared names: no catalog to read on a server that is not there.
            Naming = NamingConvention.AsDeclared,
            Driver = "mysql",
            Host = "db.internal",
            Database = "shop",
            Username = "app",
            Password = Secret,
        };
        change?.Invoke(config);
        return config;
    }

    private static Dictionary<string, object?> Settings(string key, object? value) => new()
    {
        ["driver"] = "mariadb",
        ["host"] = "localhost",
        ["database"] = "shop",
        [key] = value,
    };

    [Fact]
    public void ConnectionString_FromConfig_TurnsPoolingOffAndCarriesEveryOption()
    {
        var text = MySqlDataSource.BuildConnectionString(Config(c =>
        {
            c.Port = 3307;
            c.Charset = "latin1";
            c.ConnectTimeout = TimeSpan.FromSeconds(7);
            c.CommandTimeout = TimeSpan.FromSeconds(45);
            c.Ssl = new Dictionary<string, string> { ["mode"] = "verify_identity", ["ca"] = "/etc/ca.pem", ["cert"] = "/etc/client.pem", ["key"] = "/etc/client.key" };
        }), "shop");

        Assert.Equal(
            "Server=db.internal;Port=3307;User ID=app;Password=s3cr3t-Pa55;Database=shop;SSL Mode=VerifyFull;SSL Cert=/etc/client.pem;SSL Key=/etc/client.key;SSL CA=/etc/ca.pem;"
            + "Pooling=False;Allow User Variables=False;Application Name=Switchboard:shop;Cancellation Timeout=1;Character Set=latin1;Connection Timeout=7;Default Command Timeout=47;GUID Format=Char36;Use Affected Rows=False",
            text);
        var parsed = new MySqlConnectionStringBuilder(text);
        Assert.False(parsed.Pooling);
        Assert.Equal(MySqlSslMode.VerifyFull, parsed.SslMode);
        Assert.Equal("/etc/ca.pem", parsed.SslCa);
        Assert.Equal("/etc/client.pem", parsed.SslCert);
        Assert.Equal("/etc/client.key", parsed.SslKey);
    }

    [Fact]
    public void ConnectionString_WithDefaults_UsesPort3306Utf8mb4AndCharGuids()
    {
        var parsed = new MySqlConnectionStringBuilder(MySqlDataSource.BuildConnectionString(Config(c => c.Host = null), "reports"));

        Assert.Equal("localhost", parsed.Server);
        Assert.Equal(3306u, parsed.Port);
        Assert.Equal("utf8mb4", parsed.CharacterSet);
        Assert.Equal("Switchboard:reports", parsed.ApplicationName);
        Assert.Equal(MySqlGuidFormat.Char36, parsed.GuidFormat);
        Assert.False(parsed.AllowUserVariables);
        Assert.False(parsed.UseAffectedRows);
        Assert.Equal(MySqlSslMode.Preferred, parsed.SslMode);
    }

    [Fact]
    public void Ssl_WithCaAndNoMode_VerifiesTheServerAgainstIt()
    {
        var parsed = new MySqlConnectionStringBuilder(MySqlDataSource.BuildConnectionString(Config(c => c.Ssl = new Dictionary<string, string> { ["CA"] = "/etc/ca.pem" }), "shop"));

        Assert.Equal(MySqlSslMode.VerifyCA, parsed.SslMode);
        Assert.Equal("/etc/ca.pem", parsed.SslCa);
    }

    [Theory]
    [InlineData("disabled", MySqlSslMode.None)]
    [InlineData("PREFERRED", MySqlSslMode.Preferred)]
    [InlineData("required", MySqlSslMode.Required)]
    [InlineData("verify_ca", MySqlSslMode.VerifyCA)]
    [InlineData("verify_identity", MySqlSslMode.VerifyFull)]
    [InlineData("VerifyFull", MySqlSslMode.VerifyFull)]
    public void SslMode_MySqlOrConnectorName_MapsToConnectorMode(string mode, MySqlSslMode expected)
    {
        using var registry = new ConnectionRegistry();
        var connection = registry.Configure("db", Settings("ssl", new Dictionary<string, object?> { ["mode"] = mode }));

        Assert.Equal(expected, new MySqlConnectionStringBuilder(MySqlDataSource.BuildConnectionString(connection.Config, "db")).SslMode);
    }

    [Fact]
    public void Ssl_WithUnknownKey_IsRejectedNamingIt()
    {
        using var registry = new ConnectionRegistry();

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("db", Settings("ssl", new Dictionary<string, object?> { ["mode"] = "required", ["capath"] = "/etc/ssl" })));

        Assert.Equal("ssl", error.Key);
        Assert.Contains("'capath'", error.Message, StringComparison.Ordinal);
        Assert.Contains("mode, ca, cert, key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ssl_WithUnknownMode_IsRejectedListingTheModes()
    {
        using var registry = new ConnectionRegistry();

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("db", Settings("ssl", new Dictionary<string, object?> { ["mode"] = "strict" })));

        Assert.Equal("ssl", error.Key);
        Assert.Contains("disabled, preferred, required, verify_ca, verify_identity", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ssl_WithCertButNoKey_IsRejected()
    {
        using var registry = new ConnectionRegistry();

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("db", Settings("ssl", new Dictionary<string, object?> { ["cert"] = "/etc/client.pem" })));

        Assert.Equal("ssl", error.Key);
    }

    [Fact]
    public void Charset_ThatIsNotAName_IsRejected()
    {
        using var registry = new ConnectionRegistry();

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("db", Settings("charset", "utf8mb4;Pooling=true")));

        Assert.Equal("charset", error.Key);
    }

    [Theory]
    [InlineData("schema")]
    [InlineData("sslmode")]
    [InlineData("service_name")]
    [InlineData("sid")]
    [InlineData("trusted_connection")]
    [InlineData("odbc_driver")]
    [InlineData("busy_timeout")]
    public void OptionOfAnotherEngine_IsRejectedNamingTheKey(string key)
    {
        using var registry = new ConnectionRegistry();

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("db", Settings(key, key switch { "trusted_connection" => true, "busy_timeout" => 5, _ => "x" })));

        Assert.Equal(key, error.Key);
        Assert.Contains("charset, ssl", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mysql", "mysql")]
    [InlineData("mariadb", "mariadb")]
    [InlineData("MariaDB", "mariadb")]
    public void DriverName_ResolvesWithoutRegistration_AndReportsTheConfiguredName(string name, string reported)
    {
        using var registry = new ConnectionRegistry();

        var connection = registry.Configure("db", new Dictionary<string, object?> { ["driver"] = name, ["database"] = "shop" });

        Assert.Equal(reported, connection.Driver);
        Assert.IsType<MySqlDialect>(connection.Dialect);
    }

    [Fact]
    public void AddMySql_RegistersBothNamesExplicitly()
    {
        using var registry = new ConnectionRegistry().AddMySql();

        Assert.Equal("mysql", registry.Configure("a", "mysql://app@localhost/shop").Driver);
        Assert.Equal("mariadb", registry.Configure("b", "mariadb://app@localhost/shop").Driver);
    }

    [Fact]
    public void Password_NeverAppearsInDescriptionsOrConnectFailures()
    {
        using var registry = new ConnectionRegistry();
        var connection = registry.Configure("db", Config(c =>
        {
            c.Host = "127.0.0.1";
            c.Port = UnusedPort();
            c.ConnectTimeout = TimeSpan.FromSeconds(2);
        }));

        var error = Assert.Throws<ConnectionException>(() => connection.ExecuteRaw("SELECT 1"));

        Assert.True(error.IsTransient);
        Assert.IsType<MySqlException>(error.InnerException);
        foreach (var text in new[] { error.Message, error.ToString(), connection.ToString(), connection.Config.ToString(), new MySqlDriver().Describe(Config()) })
        {
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Query_WithWhereOrderLimitOffset_WritesLimitOffsetAndBackquotedNames()
    {
        using var registry = new ConnectionRegistry();
        using var _ = registry.Activate();
        registry.Configure("db", Config());

        Assert.Equal(
            "SELECT `Id`, `Name`, `Status`, `email_address`, `Age` FROM `users` WHERE `Status` = @sb_w0 ORDER BY `Name` ASC LIMIT 5 OFFSET 10",
            User.Using("db").Where(u => u.Status == "active").OrderBy(u => u.Name).Limit(5).Offset(10).ToSql());
    }

    [Fact]
    public void Query_WithOffsetOnly_WritesTheLargestLimit()
    {
        using var registry = new ConnectionRegistry();
        using var _ = registry.Activate();
        registry.Configure("db", Config());

        Assert.EndsWith("FROM `users` LIMIT 18446744073709551615 OFFSET 10", User.Using("db").Offset(10).ToSql(), StringComparison.Ordinal);
    }

    [Fact]
    public void Query_WithContains_EscapesWithABangBecauseBackslashIsSpecialInLiterals()
    {
        using var registry = new ConnectionRegistry();
        using var _ = registry.Activate();
        registry.Configure("db", Config());

        Assert.EndsWith("WHERE `Name` LIKE @sb_w0 COLLATE utf8mb4_bin ESCAPE '!'", User.Using("db").Where(u => u.Name.Contains("50%")).ToSql(), StringComparison.Ordinal);
        Assert.Equal("50!%!_!!\\", Dialect.EscapeLike("50%_!\\"));
    }

    [Fact]
    public void Insert_WithGeneratedKey_SelectsLastInsertIdInTheSameBatch()
    {
        Assert.Equal(
            "INSERT INTO `users` (`name`, `status`) VALUES (@p1, @p2); SELECT LAST_INSERT_ID()",
            Dialect.Insert("`users`", ["`name`", "`status`"], ["@p1", "@p2"], "`id`"));
        Assert.Equal("INSERT INTO `users` () VALUES (); SELECT LAST_INSERT_ID()", Dialect.Insert("`users`", [], [], "`id`"));
        Assert.Equal("INSERT INTO `users` () VALUES ()", Dialect.Insert("`users`", [], [], null));
    }

    [Fact]
    public void QuoteIdentifier_WithHostileName_DoublesTheBackquote()
    {
        Assert.Equal("`users``; DROP TABLE x; --`", Dialect.QuoteIdentifier("users`; DROP TABLE x; --"));
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
    public void IsolationLevel_IsSupportedOnlyWhereInnoDbHasIt(IsolationLevel level, bool supported)
    {
        Assert.Equal(supported, Dialect.SupportsIsolationLevel(level));
    }

    [Theory]
    [InlineData(1040)] // too many connections
    [InlineData(1203)] // max_user_connections
    [InlineData(1205)] // lock wait timeout
    [InlineData(1213)] // deadlock
    [InlineData(3572)] // NOWAIT lock not available
    [InlineData(1053)] // server shutdown
    [InlineData(1927)] // connection killed (MariaDB)
    [InlineData(4031)] // disconnected by the server (MySQL)
    [InlineData(2006)] // server gone
    [InlineData(2013)] // lost connection
    public void ErrorNumber_InTransientList_IsTransient(int number)
    {
        // MySqlException has no public constructor: the lists are checked here, the exceptions live against MariaDB.
        Assert.Contains(number, MySqlErrors.TransientNumbers);
    }

    [Theory]
    [InlineData(1053, true)]
    [InlineData(1927, true)]
    [InlineData(4031, true)]
    [InlineData(2013, true)]
    [InlineData(1213, false)]
    [InlineData(1205, false)]
    [InlineData(1040, false)]
    public void ErrorNumber_EndingTheSession_IsADisconnect(int number, bool disconnect)
    {
        Assert.Equal(disconnect, MySqlErrors.DisconnectNumbers.Contains(number));
    }

    [Theory]
    [InlineData(1062)] // duplicate entry
    [InlineData(1146)] // no such table
    [InlineData(1064)] // syntax error
    [InlineData(1317)] // query interrupted
    public void ErrorNumber_OutsideTheLists_IsNeither(int number)
    {
        Assert.DoesNotContain(number, MySqlErrors.TransientNumbers);
        Assert.DoesNotContain(number, MySqlErrors.DisconnectNumbers);
    }

    [Fact]
    public void ExceptionOfAnotherDriver_IsNotTransient()
    {
        Assert.False(new MySqlDriver().IsTransient(new InvalidOperationException("x")));
        Assert.False(new MariaDbDriver().IsDisconnect(new IOException("x")));
    }

    private static int UnusedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
