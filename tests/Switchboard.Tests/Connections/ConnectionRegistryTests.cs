using Switchboard.Dialects;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Connections;

/// <summary>Configuration validation (docs/RELIABILITY.md item 25), names, drivers and lifecycle of a registry.</summary>
public class ConnectionRegistryTests
{
    private static ConfigurationException Rejects(Dictionary<string, object?> settings, string name = "primary")
    {
        using var db = new TestDatabase();
        return Assert.Throws<ConfigurationException>(() => db.Registry.Configure(name, settings));
    }

    [Fact]
    public void Configure_UnknownDriver_ListsTheKnownOnes()
    {
        var error = Rejects(new() { ["driver"] = "cassandra", ["database"] = "x" });
        Assert.Equal("driver", error.Key);
        Assert.Equal("primary", error.ConnectionName);
        Assert.Contains("unknown driver 'cassandra'", error.Message);
        Assert.Contains("sqlite", error.Message);
        Assert.Contains("postgresql", error.Message);
        Assert.Contains("RegisterDriver", error.Message);
    }

    [Fact]
    public void Configure_MissingDriver_SaysToSetIt()
    {
        var error = Rejects(new() { ["database"] = "x" });
        Assert.Equal("driver", error.Key);
        Assert.Contains("driver is required", error.Message);
    }

    [Fact]
    public void Configure_MissingDatabase_SaysWhatToSetForSqlite()
    {
        var error = Rejects(new() { ["driver"] = "sqlite" });
        Assert.Equal("database", error.Key);
        Assert.Contains("':memory:'", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(10_001)]
    public void Configure_PoolSizeOutOfRange_IsRejectedWithTheRange(int size)
    {
        var error = Rejects(new() { ["driver"] = "sqlite", ["database"] = "x.db", ["pool_size"] = size });
        Assert.Equal("pool_size", error.Key);
        Assert.Contains("between 1 and 10000", error.Message);
        Assert.Contains(size.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
    }

    [Theory]
    [InlineData("pool_timeout", -1)]
    [InlineData("pool_recycle", 0)]
    [InlineData("pool_recycle", -5)]
    [InlineData("connect_timeout", 0)]
    public void Configure_BadDurations_AreRejected(string key, double seconds)
    {
        var error = Rejects(new() { ["driver"] = "sqlite", ["database"] = "x.db", [key] = seconds });
        Assert.Equal(key, error.Key);
    }

    [Theory]
    [InlineData("host", "localhost")]
    [InlineData("password", "pw")]
    [InlineData("charset", "utf8mb4")]
    [InlineData("schema", "public")]
    [InlineData("service_name", "ORCL")]
    public void Configure_OptionOfAnotherEngine_IsRejected(string key, string value)
    {
        var error = Rejects(new() { ["driver"] = "sqlite", ["database"] = "x.db", [key] = value });
        Assert.Equal(key, error.Key);
        Assert.Contains($"'{key}'", error.Message);
        Assert.Contains("Remove it", error.Message);
        Assert.DoesNotContain("pw'", error.Message);
    }

    [Fact]
    public void Configure_SameNameTwice_IsRejectedUnlessReplace()
    {
        using var db = new TestDatabase();
        var first = db.Sqlite("primary");
        first.Execute("CREATE TABLE t (x INTEGER)");
        var error = Assert.Throws<ConfigurationException>(() => db.Sqlite("primary"));
        Assert.Contains("already configured", error.Message);
        Assert.Contains("replace: true", error.Message);

        var second = db.Registry.Configure("primary", new ConnectionConfig { Driver = "sqlite", Database = db.File("other.db") }, replace: true);
        Assert.NotSame(first, second);
        Assert.Same(second, db.Registry.GetConnection("primary"));
        Assert.Equal(0, first.Statistics.Size);
    }

    [Fact]
    public void GetConnection_UnknownName_ListsConfiguredNamesAndSuggestsCase()
    {
        using var db = new TestDatabase();
        db.Sqlite("primary");
        db.Sqlite("analytics");
        var error = Assert.Throws<ConfigurationException>(() => db.Registry.GetConnection("Primary"));
        Assert.Contains("No connection named 'Primary'", error.Message);
        Assert.Contains("Did you mean 'primary'?", error.Message);
        Assert.Contains("analytics, primary", error.Message);
    }

    [Fact]
    public void Names_IsConfigured_AndDisposeAll_TrackTheRegistry()
    {
        using var db = new TestDatabase();
        db.Sqlite("b");
        db.Sqlite("a");
        Assert.Equal(["a", "b"], db.Registry.Names);
        Assert.True(db.Registry.IsConfigured("a"));
        Assert.False(db.Registry.IsConfigured("c"));
        Assert.False(db.Registry.Dispose("c"));
        db.Registry.DisposeAll();
        Assert.Empty(db.Registry.Names);
    }

    [Fact]
    public void Driver_IsResolvedByNameOrAlias_AndAMissingPackageIsNamed()
    {
        using var db = new TestDatabase();
        Assert.Equal("sqlite", db.Registry.Configure("a", new ConnectionConfig { Driver = "SQLite", Database = db.File("a.db") }).Driver);
        Assert.Equal("sqlite", db.Registry.Configure("b", new ConnectionConfig { Driver = "sqlite3", Database = db.File("b.db") }).Driver);

        Assert.Equal("sqlserver", db.Registry.Configure("c", new ConnectionConfig { Driver = "mssql", Host = "h", Database = "d", Username = "u" }).Driver);
        Assert.Equal("postgresql", db.Registry.Configure("d", new ConnectionConfig { Driver = "pg", Host = "h", Database = "d" }).Driver);
        Assert.Equal("mariadb", db.Registry.Configure("e", new ConnectionConfig { Driver = "mariadb", Host = "h", Database = "d" }).Driver);

        // The core names no engine, so it cannot know an unknown name's package: it names the convention and what it found.
        var error = Assert.Throws<ConfigurationException>(() => db.Registry.Configure("f", new ConnectionConfig { Driver = "imaginarydb", Host = "h", Database = "d" }));
        Assert.Contains("unknown driver 'imaginarydb'", error.Message);
        Assert.Contains("dotnet add package Switchboard.<Engine>", error.Message);
        Assert.Contains("Switchboard.PostgreSql (postgresql, postgres, pg)", error.Message);
        Assert.Contains("Switchboard.Sqlite (sqlite, sqlite3)", error.Message);
        Assert.Equal("driver", error.Key);
    }

    [Fact]
    public void ExplicitlyRegisteredDriver_IsUsed()
    {
        using var db = new TestDatabase();
        db.Registry.AddSqlite();
        var driver = new FakeDriver("custom-engine");
        db.Registry.RegisterDriver(driver);
        var connection = db.Registry.Configure("x", new ConnectionConfig { Driver = "custom-engine", Database = "anything" });
        Assert.Equal(1L, connection.Scalar<long>("SELECT 1"));
        Assert.Equal(1, driver.Opens);
    }

    [Fact]
    public void InitializeAll_ReportsEveryConnectionThatCannotOpen()
    {
        using var db = new TestDatabase();
        var down = new FakeDriver("down-engine") { Refuse = new FakeRefusedException("no route to host") };
        db.Registry.RegisterDriver(down);
        db.Registry.Configure("x", new ConnectionConfig { Driver = "down-engine", Database = "d1" });
        db.Registry.Configure("y", new ConnectionConfig { Driver = "down-engine", Database = "d2" });
        db.Sqlite("fine");

        var error = Assert.Throws<ConnectionException>(() => db.Registry.InitializeAll());
        Assert.Contains("'x'", error.Message);
        Assert.Contains("'y'", error.Message);
        Assert.Equal(1, db.Registry.GetConnection("fine").Statistics.Opened);
    }

    [Fact]
    public void Sqlite_RelativePath_IsResolvedAgainstTheWorkingDirectoryWhenConfigured()
    {
        using var db = new TestDatabase();
        var connection = db.Registry.Configure("rel", new ConnectionConfig { Driver = "sqlite", Database = "relative-" + Guid.NewGuid().ToString("N") + ".db" });
        Assert.True(Path.IsPathRooted(connection.Config.Database));
        Assert.StartsWith(Directory.GetCurrentDirectory(), connection.Config.Database, StringComparison.Ordinal);
    }

    [Fact]
    public void Sqlite_File_UsesWalAndABusyTimeoutByDefault()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("wal");
        Assert.Equal("wal", connection.Scalar<string>("PRAGMA journal_mode"));
        Assert.Equal(5000L, connection.Scalar<long>("PRAGMA busy_timeout"));
    }

    [Fact]
    public void Sqlite_Memory_IsOneDatabaseSharedByTheWholePool()
    {
        using var db = new TestDatabase();
        var connection = db.Registry.Configure("mem", new ConnectionConfig { Driver = "sqlite", Database = ":memory:", PoolSize = 3 });
        connection.Execute("CREATE TABLE shared (x INTEGER)");
        connection.Execute("INSERT INTO shared VALUES (42)");

        var held = Enumerable.Range(0, 3).Select(_ => connection.Pool.RentAsync(async: false, CancellationToken.None).GetAwaiter().GetResult()).ToList();
        foreach (var physical in held)
        {
            using var command = physical.Db.CreateCommand();
            command.CommandText = "SELECT x FROM shared";
            Assert.Equal(42L, command.ExecuteScalar());
        }

        held.ForEach(p => p.Pool.Return(p, p.Lease));
        Assert.Equal(3, connection.Statistics.Opened);

        var other = db.Registry.Configure("mem2", new ConnectionConfig { Driver = "sqlite", Database = ":memory:" });
        Assert.Throws<StatementException>(() => other.Execute("SELECT x FROM shared"));
    }

    [Fact]
    public void ToStringAndMessages_NeverContainThePassword()
    {
        using var db = new TestDatabase();
        var down = new FakeDriver("pw-engine") { ActsAsServer = true, Refuse = new FakeRefusedException("auth failed for password hunter2") };
        db.Registry.RegisterDriver(down);
        var connection = db.Registry.Configure("x", new ConnectionConfig { Driver = "pw-engine", Database = "d", Password = "hunter2" });
        Assert.DoesNotContain("hunter2", connection.ToString());
        Assert.DoesNotContain("hunter2", connection.Config.ToString());
        var error = Assert.Throws<ConnectionException>(() => connection.Execute("SELECT 1"));
        Assert.DoesNotContain("hunter2", error.Message);
        Assert.Contains("***", error.Message);
    }
}
