using System.Data;
using System.Data.Common;
using Switchboard.Oracle;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Providers;

public class OracleDriverTests
{
    private const string Secret = "s3cr3t-Pa55";

    private static readonly OracleDialect Dialect = new();

    private static Dictionary<string, object?> Settings(params (string Key, object? Value)[] extra)
    {
        var settings = new Dictionary<string, object?>
        {
            ["driver"] = "oracle",
            ["host"] = "ora.internal",
            ["username"] = "app",
            ["password"] = Secret,
            ["service_name"] = "ORCLPDB1",

            // Golden SQL of declared names: the fake provider has no catalog.
            ["naming"] = "as_declared",
        };
        foreach (var (key, value) in extra)
        {
            if (value is null)
            {
                settings.Remove(key);
            }
            else
            {
                settings[key] = value;
            }
        }

        return settings;
    }

    [Fact]
    public void Oracle_WithoutAProviderFactory_IsRejectedSayingWhatToReferenceAndRegister()
    {
        using var registry = new ConnectionRegistry();

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("ora", Settings()));

        Assert.Equal("driver", error.Key);
        Assert.Contains("Oracle.ManagedDataAccess.Core", error.Message, StringComparison.Ordinal);
        Assert.Contains("registry.AddOracle(OracleClientFactory.Instance)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConnectionString_WithServiceName_IsAConnectDescriptorWithPoolingOff()
    {
        var text = OracleDataSource.BuildConnectionString(new ConnectionConfig
        {
            Host = "ora.internal",
            Username = "app",
            Password = Secret,
            ServiceName = "ORCLPDB1",
            ConnectTimeout = TimeSpan.FromSeconds(7),
        });

        Assert.Equal(
            "Data Source=(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=ora.internal)(PORT=1521))(CONNECT_DATA=(SERVICE_NAME=ORCLPDB1)));"
            + "User Id=app;Password=s3cr3t-Pa55;Pooling=false;Connection Timeout=7",
            text);
    }

    [Fact]
    public void ConnectionString_WithSid_NamesTheSid()
    {
        var text = OracleDataSource.BuildConnectionString(new ConnectionConfig { Host = "ora.internal", Port = 1522, Username = "app", Password = "p;w=\"x", Sid = "ORCL" });

        Assert.Equal(
            "Data Source=(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=ora.internal)(PORT=1522))(CONNECT_DATA=(SID=ORCL)));"
            + "User Id=app;Password='p;w=\"x';Pooling=false;Connection Timeout=15",
            text);
        Assert.Equal("p;w=\"x", new DbConnectionStringBuilder { ConnectionString = text[(text.IndexOf(";User", StringComparison.Ordinal) + 1)..] }["Password"]);
    }

    [Fact]
    public void Configure_WithFactory_OpensConnectionsWithTheDescriptor()
    {
        var factory = new FakeProviderFactory();
        using var registry = new ConnectionRegistry().AddOracle(factory);
        var connection = registry.Configure("ora", Settings());

        connection.ExecuteRaw("SELECT 1 FROM DUAL");

        Assert.Equal("oracle", connection.Driver);
        Assert.StartsWith("Data Source=(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=ora.internal)(PORT=1521))", Assert.Single(factory.ConnectionStrings), StringComparison.Ordinal);
        Assert.Equal("oracle at ora.internal:1521 (service ORCLPDB1)", new OracleDriver(factory).Describe(connection.Config));
        Assert.DoesNotContain(Secret, connection.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, connection.Config.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceNameAndSid_Together_AreRejectedNamingBoth()
    {
        using var registry = new ConnectionRegistry().AddOracle(new FakeProviderFactory());

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("ora", Settings(("sid", "ORCL"))));

        Assert.Contains("service_name", error.Message, StringComparison.Ordinal);
        Assert.Contains("sid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NeitherServiceNameNorSid_IsRejectedNamingBoth()
    {
        using var registry = new ConnectionRegistry().AddOracle(new FakeProviderFactory());

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("ora", Settings(("service_name", null))));

        Assert.Equal("service_name", error.Key);
        Assert.Contains("service_name or sid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Database_IsRejectedInFavourOfServiceName()
    {
        using var registry = new ConnectionRegistry().AddOracle(new FakeProviderFactory());

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("ora", Settings(("database", "ORCLPDB1"))));

        Assert.Equal("database", error.Key);
        Assert.Contains("service_name", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("host", "ora)(HOST=evil")]
    [InlineData("service_name", "X)))(ADDRESS=(HOST=evil")]
    public void DescriptorValue_ThatCouldChangeTheDescriptor_IsRejected(string key, string value)
    {
        using var registry = new ConnectionRegistry().AddOracle(new FakeProviderFactory());

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("ora", Settings((key, value))));

        Assert.Equal(key, error.Key);
    }

    [Theory]
    [InlineData("charset")]
    [InlineData("ssl")]
    [InlineData("schema")]
    [InlineData("sslmode")]
    [InlineData("trusted_connection")]
    [InlineData("odbc_driver")]
    public void OptionOfAnotherEngine_IsRejectedNamingTheKey(string key)
    {
        using var registry = new ConnectionRegistry().AddOracle(new FakeProviderFactory());

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("ora", Settings((key, key switch
        {
            "ssl" => new Dictionary<string, object?> { ["mode"] = "required" },
            "trusted_connection" => true,
            _ => "x",
        }))));

        Assert.Equal(key, error.Key);
        Assert.Contains("service_name, sid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_OfANewRecord_ReturnsTheKeyIntoAnOutputParameterAndBindsByName()
    {
        var factory = new FakeProviderFactory { OutputValue = new ProviderNumber(42) };
        using var registry = new ConnectionRegistry().AddOracle(factory);
        using var _ = registry.Activate();
        registry.Configure("primary", Settings());
        var user = new User { Name = "Ann", Status = "active", Age = 30 };

        user.Save();

        Assert.Equal(42, user.Id);
        var insert = Assert.Single(factory.Commands);
        Assert.Equal(
            "INSERT INTO \"users\" (\"Name\", \"Status\", \"email_address\", \"Age\") VALUES (:p1, :p2, :p3, :p4) RETURNING \"Id\" INTO :sb_key",
            insert.Text);
        Assert.True(insert.BindByName);
        Assert.Equal(["p1", "p2", "p3", "p4", "sb_key"], insert.Parameters.Select(p => p.Name));
        Assert.Equal(ParameterDirection.Output, insert.Parameters[^1].Direction);
    }

    [Fact]
    public async Task SaveAsync_OfANewRecord_ReadsTheKeyFromTheOutputParameterToo()
    {
        var factory = new FakeProviderFactory { OutputValue = 7L };
        using var registry = new ConnectionRegistry().AddOracle(factory);
        using var _ = registry.Activate();
        registry.Configure("primary", Settings());
        var user = new User { Name = "Bo", Status = "active" };

        await user.SaveAsync(TestContext.Current.CancellationToken);

        Assert.Equal(7, user.Id);
        Assert.EndsWith("RETURNING \"Id\" INTO :sb_key", Assert.Single(factory.Commands).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ExecuteRaw_BindsTheCallersParametersByName()
    {
        var factory = new FakeProviderFactory();
        using var registry = new ConnectionRegistry().AddOracle(factory);
        var connection = registry.Configure("ora", Settings());

        connection.ExecuteRaw("SELECT * FROM \"users\" WHERE \"Age\" > :min AND \"Status\" = :status", new { status = "active", min = 18 });

        var command = Assert.Single(factory.Commands);
        Assert.True(command.BindByName);
        Assert.Equal(["status", "min"], command.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void Query_WithWhereOrderLimitOffset_WritesColonParametersAndOffsetFetch()
    {
        using var registry = new ConnectionRegistry().AddOracle(new FakeProviderFactory());
        using var _ = registry.Activate();
        registry.Configure("ora", Settings());

        Assert.Equal(
            "SELECT \"Id\", \"Name\", \"Status\", \"email_address\", \"Age\" FROM \"users\" WHERE \"Status\" = :sb_w0 ORDER BY \"Name\" ASC OFFSET 10 ROWS FETCH NEXT 5 ROWS ONLY",
            User.Using("ora").Where(u => u.Status == "active").OrderBy(u => u.Name).Limit(5).Offset(10).ToSql());
        Assert.EndsWith("FROM \"users\" FETCH FIRST 5 ROWS ONLY", User.Using("ora").Limit(5).ToSql(), StringComparison.Ordinal);
        Assert.EndsWith("FROM \"users\" OFFSET 3 ROWS", User.Using("ora").Offset(3).ToSql(), StringComparison.Ordinal);
    }

    [Fact]
    public void Query_OfTheConformanceSuiteShapes_WritesOracleSql()
    {
        using var registry = new ConnectionRegistry().AddOracle(new FakeProviderFactory());
        using var _ = registry.Activate();
        registry.Configure("ora", Settings());
        var names = new[] { "Ann", "Bo" };

        Assert.EndsWith(
            "WHERE \"Name\" IN (:sb_w0, :sb_w1) AND \"email_address\" IS NULL AND \"Name\" LIKE :sb_w2 ESCAPE '\\' ORDER BY \"Age\" DESC OFFSET 18 ROWS",
            User.Using("ora").Where(u => names.Contains(u.Name)).Where(u => u.Email == null).Where(u => u.Name.StartsWith("a_")).OrderByDescending(u => u.Age).Offset(18).ToSql(),
            StringComparison.Ordinal);
        Assert.EndsWith("FROM \"users\" WHERE 1 = 0", User.Using("ora").Where(u => Array.Empty<string>().Contains(u.Name)).ToSql(), StringComparison.Ordinal);
    }

    [Fact]
    public void CountAndExists_OfAPage_CountTheRowsOfThePagedSelect()
    {
        var factory = new FakeProviderFactory { OutputValue = 1L };
        using var registry = new ConnectionRegistry().AddOracle(factory);
        using var _ = registry.Activate();
        registry.Configure("ora", Settings());

        User.Using("ora").OrderBy(u => u.Name).Offset(18).Count();
        User.Using("ora").Where(u => u.Age > 3).Exists();

        Assert.Equal(
            [
                "SELECT COUNT(*) FROM (SELECT 1 AS sb_one FROM \"users\" ORDER BY \"Name\" ASC OFFSET 18 ROWS) sb_page",
                "SELECT COUNT(*) FROM (SELECT 1 AS sb_one FROM \"users\" WHERE \"Age\" > :sb_w0 FETCH FIRST 1 ROWS ONLY) sb_page",
            ],
            factory.Commands.Select(c => c.Text).Where(t => t.StartsWith("SELECT COUNT", StringComparison.Ordinal)));
    }

    [Fact]
    public void Insert_WithGeneratedKey_ReturnsItIntoTheKeyParameter()
    {
        Assert.Equal(
            "INSERT INTO \"users\" (\"name\") VALUES (:p1) RETURNING \"id\" INTO :sb_key",
            Dialect.Insert("\"users\"", ["\"name\""], [":p1"], "\"id\""));
        Assert.Equal("INSERT INTO \"users\" (\"id\") VALUES (DEFAULT) RETURNING \"id\" INTO :sb_key", Dialect.Insert("\"users\"", [], [], "\"id\""));
        Assert.Throws<NotSupportedException>(() => Dialect.Insert("\"users\"", [], [], null));
    }

    [Fact]
    public void QuoteIdentifier_WithADoubleQuote_IsRefusedSinceOracleCannotEscapeIt()
    {
        Assert.Equal("\"Order Lines\"", Dialect.QuoteIdentifier("Order Lines"));
        Assert.Throws<ArgumentException>(() => Dialect.QuoteIdentifier("users\"; DROP TABLE x; --"));
    }

    [Fact]
    public void Parameters_AreWrittenWithAColonAndNamedWithout()
    {
        Assert.Equal(":status", Dialect.ParameterPlaceholder("status"));
        Assert.Equal("status", Dialect.ParameterName("status"));
    }

    [Fact]
    public void Savepoints_HaveNoRelease()
    {
        Assert.Equal("SAVEPOINT sb_savepoint_1", Dialect.SavepointSql("sb_savepoint_1"));
        Assert.Equal("ROLLBACK TO SAVEPOINT sb_savepoint_1", Dialect.RollbackToSavepointSql("sb_savepoint_1"));
        Assert.Null(Dialect.ReleaseSavepointSql("sb_savepoint_1"));
    }

    [Theory]
    [InlineData(IsolationLevel.ReadCommitted, true)]
    [InlineData(IsolationLevel.Serializable, true)]
    [InlineData(IsolationLevel.ReadUncommitted, false)]
    [InlineData(IsolationLevel.RepeatableRead, false)]
    [InlineData(IsolationLevel.Snapshot, false)]
    public void IsolationLevel_IsReadCommittedOrSerializable(IsolationLevel level, bool supported)
    {
        Assert.Equal(supported, Dialect.SupportsIsolationLevel(level));
    }

    [Fact]
    public void ParameterValues_WithoutAnOracleType_AreSentAsWhatOracleStoresThemIn()
    {
        var guid = Guid.NewGuid();

        Assert.Equal(1, Dialect.ToParameterValue(true));
        Assert.Equal(0, Dialect.ToParameterValue(false));
        Assert.Equal(guid.ToByteArray(), Dialect.ToParameterValue(guid));
        Assert.Equal(new DateTime(2026, 3, 4), Dialect.ToParameterValue(new DateOnly(2026, 3, 4)));
        Assert.Equal(new TimeSpan(0, 13, 45, 30, 250), Dialect.ToParameterValue(new TimeOnly(13, 45, 30, 250)));
        Assert.Equal("text", Dialect.ToParameterValue("text"));
    }

    [Theory]
    [InlineData("ORA-00060: deadlock detected while waiting for resource", true, false)]
    [InlineData("ORA-00054: resource busy and acquire with NOWAIT specified or timeout expired", true, false)]
    [InlineData("ORA-08177: can't serialize access for this transaction", true, false)]
    [InlineData("ORA-03113: end-of-file on communication channel", true, true)]
    [InlineData("ORA-03114: not connected to ORACLE", true, true)]
    [InlineData("ORA-03135: connection lost contact", true, true)]
    [InlineData("ORA-00028: your session has been killed", true, true)]
    [InlineData("ORA-01089: immediate shutdown or close in progress", true, true)]
    [InlineData("ORA-12514: TNS:listener does not currently know of service requested", true, false)]
    [InlineData("ORA-12541: TNS:no listener", true, false)]
    [InlineData("ORA-12170: TNS:Connect timeout occurred", true, false)]
    [InlineData("ORA-01033: ORACLE initialization or shutdown in progress", true, false)]
    [InlineData("ORA-00001: unique constraint (APP.PK_USERS) violated", false, false)]
    [InlineData("ORA-00942: table or view does not exist", false, false)]
    public void OraCode_InTheMessage_DecidesTheClassification(string message, bool transient, bool disconnect)
    {
        var driver = new OracleDriver();
        var error = new ProviderException(message);

        Assert.Equal(transient, driver.IsTransient(error));
        Assert.Equal(disconnect, driver.IsDisconnect(error));
    }

    [Fact]
    public void OraCode_InAnInnerException_Counts()
    {
        Assert.True(new OracleDriver().IsTransient(new ProviderException("Statement failed", new ProviderException("ORA-00060: deadlock detected"))));
    }

    [Fact]
    public void Exception_WithoutAnOraCode_FallsBackToTheProvidersOwnVerdict()
    {
        Assert.True(new OracleDriver().IsTransient(new ProviderException("Network error", isTransient: true)));
        Assert.False(new OracleDriver().IsTransient(new ProviderException("Something else")));
    }

    [Theory]
    [InlineData("oracle")]
    [InlineData("ORACLE")]
    public void DriverName_ResolvesByNameToTheDriverThatExplains(string name)
    {
        using var registry = new ConnectionRegistry();

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("ora", Settings(("driver", name))));

        Assert.Contains("AddOracle", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A provider's decimal type, which is not <see cref="IConvertible"/> but prints as its number (as ODP.NET's OracleDecimal).</summary>
    private sealed record ProviderNumber(long Value)
    {
        public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private sealed class ProviderException(string message, Exception? inner = null, bool isTransient = false) : DbException(message, inner)
    {
        public override bool IsTransient => isTransient;
    }
}
