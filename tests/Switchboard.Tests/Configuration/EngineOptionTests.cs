using Switchboard.Dialects;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Configuration;

/// <summary>An engine's keys are declared by its package; the core reads, stores and routes them without naming them.</summary>
public class EngineOptionTests
{
    [Fact]
    public void AnEngineKey_IsReadByTheTypeItsPackageDeclares_AndSeenThroughTheTypedProperty()
    {
        var config = ConnectionConfig.FromDictionary(new Dictionary<string, object?>
        {
            ["driver"] = "mariadb", ["host"] = "db", ["database"] = "shop", ["local_infile"] = "yes", ["charset"] = "latin1",
        });

        Assert.True(config.LocalInfile);
        Assert.Equal("latin1", config.Charset);
        Assert.Equal(true, config.EngineOptions["local_infile"]);
        Assert.Equal(2, config.EngineOptions.Count);
    }

    [Fact]
    public void AnEngineKey_OfTheWrongType_IsRefusedWhenRead_NamingTheKey()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConnectionConfig.FromDictionary(new Dictionary<string, object?> { ["local_infile"] = "perhaps" }));
        Assert.Equal("local_infile", error.Key);
        Assert.Contains("must be true or false", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMisspeltEngineKey_IsSuggestedFromTheDeclaredKeys()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConnectionConfig.FromDictionary(new Dictionary<string, object?> { ["local_infil"] = true }));
        Assert.Contains("Did you mean 'local_infile'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SettingTheTypedPropertyToNull_RemovesTheKey_SoTheDefaultApplies()
    {
        var config = new ConnectionConfig { Driver = "mysql", LocalInfile = true };
        config.LocalInfile = null;
        Assert.Empty(config.EngineOptions);
        Assert.Null(config.LocalInfile);
    }

    [Fact]
    public void EveryKeyOfAnotherEngine_IsReported_InOneException()
    {
        using var registry = new ConnectionRegistry();
        var config = new ConnectionConfig { Driver = "sqlite", Database = "x.db", LocalInfile = true, Schema = "sales" };

        var error = Assert.Throws<ConfigurationException>(() => registry.Validate("s", config));

        Assert.Equal(["local_infile", "schema"], error.Problems.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Contains("'local_infile' is not an option of the sqlite driver", error.Message, StringComparison.Ordinal);
        Assert.Contains("sqlite accepts journal_mode, busy_timeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EachDriver_DeclaresItsOwnKeys_WithTheirDefaults()
    {
        using var registry = new ConnectionRegistry();
        var mysql = registry.Validate("m", new ConnectionConfig { Driver = "mysql", Host = "h", Database = "d" });
        var postgres = registry.Validate("p", new ConnectionConfig { Driver = "postgres", Host = "h", Database = "d" });

        Assert.Equal(["charset", "ssl", "local_infile"], mysql.Options.Select(o => o.Key));
        Assert.Equal("utf8mb4", mysql.Options.Single(o => o.Key == "charset").DefaultValue);
        Assert.Equal(false, mysql.Options.Single(o => o.Key == "local_infile").DefaultValue);
        Assert.Equal("public", postgres.Options.Single(o => o.Key == "schema").DefaultValue);
        Assert.Equal(mysql.EngineKeys, mysql.Options.Select(o => o.Key));
    }

    [Fact]
    public void ACustomDriversOption_IsAcceptedByTheDictionaryForm_OnceTheDriverIsRegistered()
    {
        using var db = new TestDatabase();
        var driver = new OptionDriver();
        db.Registry.RegisterDriver(driver);

        var connection = db.Registry.Configure("o", new Dictionary<string, object?> { ["driver"] = "option-engine", ["database"] = "d", ["fanciness"] = "7" });

        Assert.Equal(7, OptionDriver.Fanciness.GetValue(connection.Config));
        Assert.Equal(3, OptionDriver.Fanciness.ValueOrDefault(new ConnectionConfig()));
    }

    [Fact]
    public void ADriverThatOnlyOverridesTheOldValidate_StillHasItsProblemReported()
    {
        using var db = new TestDatabase();
        db.Registry.RegisterDriver(new OptionDriver());
        var error = Assert.Throws<ConfigurationException>(() => db.Registry.Configure("o", new ConnectionConfig { Driver = "option-engine", Database = "forbidden", PoolSize = 0 }));
        Assert.Equal(["pool_size", "database"], error.Problems.Select(p => p.Key));
        Assert.Contains("2. database 'forbidden' is refused by this engine.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyTwoEnginesDeclareWithDifferentTypes_IsCheckedAgainstTheResolvedDriversType()
    {
        using var db = new TestDatabase();
        db.Registry.RegisterDriver(new OptionDriver());
        db.Registry.RegisterDriver(new OptionDriver("text-engine", new EngineOption<string?>("fanciness", "plain", "How fancy, in words.")));
        var config = new ConnectionConfig { Driver = "option-engine", Database = "d" };
        new EngineOption<string?>("fanciness", null, "How fancy, in words.").SetValue(config, "very");

        var error = Assert.Throws<ConfigurationException>(() => db.Registry.Validate("o", config));

        Assert.Equal("fanciness", error.Key);
        Assert.Contains("'fanciness' must be a whole number for the option-engine driver", error.Message, StringComparison.Ordinal);

        // A value the resolved driver can read as its own type is read again, in the effective configuration only.
        new EngineOption<string?>("fanciness", null, "How fancy, in words.").SetValue(config, "7");
        var connection = db.Registry.Configure("o", config);
        Assert.Equal(7, OptionDriver.Fanciness.GetValue(connection.Config));
        Assert.Equal("7", config.EngineOptions["fanciness"]);
    }

    private sealed class OptionDriver : DatabaseDriver
    {
        private readonly EngineOption _option;

        public OptionDriver(string name = "option-engine", EngineOption? option = null) => (Name, _option) = (name, option ?? Fanciness);

        public override string Name { get; }

        private readonly FakeDriver _inner = new();

        public override SqlDialect Dialect => _inner.Dialect;

        public override DriverDataSource CreateDataSource(ConnectionConfig config, string connectionName) => _inner.CreateDataSource(config, connectionName);

        public static readonly EngineOption<int?> Fanciness = new("fanciness", 3, "How fancy.");

        public override IReadOnlyList<EngineOption> Options => [_option];

        public override void Validate(ConnectionConfig config, string connectionName)
        {
            if (config.Database == "forbidden")
            {
                throw new ConfigurationException($"Connection '{connectionName}': database 'forbidden' is refused by this engine.", "database", connectionName);
            }
        }
    }
}
