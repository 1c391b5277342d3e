using Switchboard.Tests.Support;

namespace Switchboard.Tests.Configuration;

/// <summary>The replicas key: lists of dictionaries or URLs, inheritance from the primary, and validation naming the replica.</summary>
public class ReplicaConfigTests
{
    private static Dictionary<string, object?> Primary(params object[] replicas) => new()
    {
        ["driver"] = "postgresql",
        ["host"] = "db1",
        ["database"] = "app",
        ["username"] = "app",
        ["password"] = "s3cret-pw",
        ["pool_size"] = 7,
        ["replicas"] = replicas,
    };

    [Fact]
    public void Replicas_FromDictionariesAndUrls_InheritWhatTheyDoNotSet()
    {
        using var db = new TestDatabase();
        var connection = db.Registry.Configure("app", Primary(
            new Dictionary<string, object?> { ["host"] = "db2", ["port"] = 5433 },
            "postgresql://db3:5434/app?pool_size=3&weight=2"));

        var replicas = connection.Replicas;
        Assert.Equal(2, replicas.Count);
        Assert.Equal(("db2", 5433, 1, 7), (replicas[0].Host, replicas[0].Port, replicas[0].Weight, replicas[0].Statistics.MaxSize));
        Assert.Equal(("db3", 5434, 2, 3), (replicas[1].Host, replicas[1].Port, replicas[1].Weight, replicas[1].Statistics.MaxSize));
        var inherited = connection.ReplicaSet!.Replicas[1].Config;
        Assert.Equal("app", inherited.Username);
        Assert.Equal("s3cret-pw", inherited.Password);
        Assert.Contains("default_transaction_read_only", inherited.InitCommand, StringComparison.Ordinal);
    }

    [Fact]
    public void Replica_InheritsThePrimarysEngineKeys_AndOverridesThoseItSets()
    {
        using var db = new TestDatabase();
        var primary = Primary(new Dictionary<string, object?> { ["host"] = "db2", ["sslmode"] = "require" });
        primary["schema"] = "sales";
        primary["sslmode"] = "prefer";
        var connection = db.Registry.Configure("app", primary);

        var replica = connection.ReplicaSet!.Replicas[0].Config;
        Assert.Equal(("sales", "require"), (replica.Schema, replica.SslMode));
        Assert.Equal(("sales", "prefer"), (connection.Config.Schema, connection.Config.SslMode));

        // An engine key a replica sets is checked by the engine like the primary's, naming the replica.
        var error = Assert.Throws<ConfigurationException>(() => db.Registry.Configure("bad", Primary(new Dictionary<string, object?> { ["host"] = "db3", ["schema"] = " " })));
        Assert.Contains("replica 0 (host db3): schema must name a schema", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replica_SettingAKeyToItsDefault_KeepsItsOwnValue()
    {
        using var db = new TestDatabase();
        var connection = db.Registry.Configure("app", Primary(new Dictionary<string, object?> { ["host"] = "db2", ["pool_size"] = 10 }));
        Assert.Equal(10, connection.Replicas[0].Statistics.MaxSize);
    }

    [Fact]
    public void TypedReplicas_AreAnIListOfConnectionConfig()
    {
        var config = new ConnectionConfig { Driver = "postgresql", Host = "db1", Database = "app", PoolSize = 4 };
        config.Replicas.Add(new ConnectionConfig { Host = "db2", Weight = 3 });
        using var db = new TestDatabase();
        var connection = db.Registry.Configure("app", config);
        var replica = Assert.Single(connection.Replicas);
        Assert.Equal(("db2", 3, 4), (replica.Host, replica.Weight, replica.Statistics.MaxSize));
        Assert.Equal("db2", Assert.Single(connection.Config.Replicas).Host);
    }

    [Fact]
    public void PrimaryKeys_HaveTheirDefaults_AndAreRead()
    {
        var defaults = new ConnectionConfig();
        Assert.Equal((null, 2.0, 10.0, 2.0, 1), (defaults.ReadYourWrites, defaults.StickyWindow.TotalSeconds, defaults.MaxReplicaLag.TotalSeconds, defaults.ReplicaCheckInterval.TotalSeconds, defaults.Weight));
        var read = ConnectionConfig.FromDictionary(new Dictionary<string, object?>
        {
            ["read_your_writes"] = "window", ["sticky_window"] = 0.5, ["max_replica_lag"] = "30", ["replica_check_interval"] = 1,
        });
        Assert.Equal((ReadYourWrites.Window, 0.5, 30.0, 1.0), (read.ReadYourWrites, read.StickyWindow.TotalSeconds, read.MaxReplicaLag.TotalSeconds, read.ReplicaCheckInterval.TotalSeconds));
    }

    [Fact]
    public void ReadYourWrites_Unknown_IsRefusedNamingTheChoices()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConnectionConfig.FromDictionary(new Dictionary<string, object?> { ["read_your_writes"] = "sometimes" }));
        Assert.Equal("read_your_writes", error.Key);
        Assert.Contains("causal, window, off", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_NamesTheReplicaByIndexAndHost()
    {
        using var db = new TestDatabase();
        var error = Assert.Throws<ConfigurationException>(() => db.Registry.Configure("app", Primary(
            new Dictionary<string, object?> { ["host"] = "db2" },
            new Dictionary<string, object?> { ["host"] = "db3", ["port"] = 70000 })));
        Assert.Contains("replica 1 (host db3)", error.Message, StringComparison.Ordinal);
        Assert.Contains("port", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replica_WithAPrimaryOnlyKey_IsRefused()
    {
        using var db = new TestDatabase();
        var error = Assert.Throws<ConfigurationException>(() => db.Registry.Configure("app", Primary(
            new Dictionary<string, object?> { ["host"] = "db2", ["sticky_window"] = 5 })));
        Assert.Contains("replica 0 (host db2)", error.Message, StringComparison.Ordinal);
        Assert.Equal("sticky_window", error.Key);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void Replica_WithAWeightOutOfRange_IsRefused(int weight)
    {
        using var db = new TestDatabase();
        var error = Assert.Throws<ConfigurationException>(() => db.Registry.Configure("app", Primary(
            new Dictionary<string, object?> { ["host"] = "db2", ["weight"] = weight })));
        Assert.Equal("weight", error.Key);
        Assert.Contains("replica 0 (host db2)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replicas_NotAList_IsRefused()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConnectionConfig.FromDictionary(new Dictionary<string, object?>
        {
            ["replicas"] = new Dictionary<string, object?> { ["host"] = "db2" },
        }));
        Assert.Equal("replicas", error.Key);
        Assert.Contains("list", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replica_WithAnUnknownKey_IsRefusedNamingTheReplica()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConnectionConfig.FromDictionary(Primary(new Dictionary<string, object?> { ["hots"] = "db2" })));
        Assert.Contains("Replica 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("host", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replicas_OnADriverWithoutSupport_AreRefused()
    {
        using var db = new TestDatabase();
        var error = Assert.Throws<ConfigurationException>(() => db.Registry.Configure("app", new Dictionary<string, object?>
        {
            ["driver"] = "sqlserver", ["host"] = "db1", ["database"] = "app", ["trusted_connection"] = true,
            ["replicas"] = new[] { "sqlserver://db2/app" },
        }));
        Assert.Equal("replicas", error.Key);
    }

    [Fact]
    public void ConfigurationSectionShape_ListAsNumberedKeys_IsRead()
    {
        var config = ConnectionConfig.FromDictionary(new Dictionary<string, object?>
        {
            ["replicas"] = new Dictionary<string, object?>
            {
                ["1"] = new Dictionary<string, object?> { ["host"] = "b" },
                ["0"] = new Dictionary<string, object?> { ["host"] = "a" },
            },
        });
        Assert.Equal(["a", "b"], config.Replicas.Select(r => r.Host));
    }
}
