using System.Reflection;

namespace Switchboard.Tests.Configuration;

/// <summary>Validation looks at a configuration and reports what is wrong with it; it never changes it.</summary>
public class ConfigValidationTests
{
    [Theory]
    [InlineData("SQLite3", "relative-validation.db")]
    [InlineData("pg", "analytics")]
    [InlineData("MariaDB", "shop")]
    public void Validate_LeavesTheConfigurationUnchanged(string driver, string database)
    {
        using var registry = new ConnectionRegistry();
        var config = new ConnectionConfig { Driver = driver, Database = database, PoolSize = 3, Echo = true };
        if (!driver.StartsWith("SQLite", StringComparison.OrdinalIgnoreCase))
        {
            config.Host = "db.example";
            config.Username = "app";
        }

        var before = Snapshot(config);
        registry.Validate("v", config);
        var after = Snapshot(config);

        Assert.Equal(before, after);
    }

    [Fact]
    public void Validate_ThreeProblems_OneExceptionNamesEveryKeyAndItsFix()
    {
        using var registry = new ConnectionRegistry();
        var config = ConnectionConfig.FromDictionary(new Dictionary<string, object?>
        {
            ["driver"] = "sqlite",
            ["database"] = "three-problems.db",
            ["pool_size"] = 0,
            ["command_timeout"] = -5,
            ["journal_mode"] = "sideways",
        });

        var error = Assert.Throws<ConfigurationException>(() => registry.Validate("three", config));

        Assert.Contains("3 problems", error.Message);
        Assert.Contains("pool_size must be between 1 and", error.Message);
        Assert.Contains("command_timeout must be zero or more seconds", error.Message);
        Assert.Contains("journal_mode 'sideways' is not a SQLite journal mode. Use one of", error.Message);
        Assert.Equal(["pool_size", "command_timeout", "journal_mode"], error.Problems.Select(p => p.Key));
        Assert.Equal("pool_size", error.Key);
    }

    [Fact]
    public void Configure_OneProblem_KeepsTheSingleSentenceMessage()
    {
        using var registry = new ConnectionRegistry();
        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("one", new ConnectionConfig { Driver = "sqlite", Database = "x.db", PoolSize = 0 }));
        Assert.StartsWith("Connection 'one': pool_size must be between 1 and", error.Message, StringComparison.Ordinal);
        Assert.Single(error.Problems);
    }

    [Fact]
    public void Configure_UsesTheNormalisedConfiguration_WhileTheCallersObjectKeepsWhatWasGiven()
    {
        using var registry = new ConnectionRegistry();
        var config = new ConnectionConfig { Driver = "SQLite3", Database = "normalised-" + Guid.NewGuid().ToString("N") + ".db" };
        var connection = registry.Configure("n", config);

        Assert.Equal("sqlite", connection.Config.Driver);
        Assert.True(Path.IsPathRooted(connection.Config.Database));
        Assert.Equal("SQLite3", config.Driver);
        Assert.False(Path.IsPathRooted(config.Database));
    }

    [Fact]
    public void Validate_ProblemsOfTheCommonKeysAndOfTheEngine_AreAllReported_EvenWithAnUnknownDriver()
    {
        using var registry = new ConnectionRegistry();
        var error = Assert.Throws<ConfigurationException>(() => registry.Validate("u", new ConnectionConfig { Driver = "nosuchdb", PoolSize = -1, MinIdle = -1 }));
        Assert.Equal(["driver", "pool_size", "min_idle"], error.Problems.Select(p => p.Key));
        Assert.Contains("1. unknown driver 'nosuchdb'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NeverShowsThePassword_InAnyOfItsProblems()
    {
        using var registry = new ConnectionRegistry();
        const string Secret = "s3cr3t-Pa55";
        var error = Assert.Throws<ConfigurationException>(() => registry.Validate("p", new ConnectionConfig { Driver = "sqlite", Database = "x.db", Password = Secret, Username = "u", PoolSize = 0 }));
        Assert.Equal(["pool_size", "username", "password"], error.Problems.Select(p => p.Key));
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Url_OfAnEngineWhoseDriverSaysItNamesAFile_IsReadAsAPath_UnderEveryAlias()
    {
        Assert.Equal("/abs/main.db", ConnectionConfig.Parse("sqlite3:////abs/main.db").Database);
        Assert.Equal("rel/main.db", ConnectionConfig.Parse("sqlite:///rel/main.db").Database);
        Assert.Equal("main", ConnectionConfig.Parse("postgres://u@h/main").Database);
    }

    /// <summary>Every public property's value, as text (collections by their items), plus the engine options.</summary>
    private static List<string> Snapshot(ConnectionConfig config)
    {
        var values = new List<string>();
        foreach (var property in typeof(ConnectionConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var value = property.GetValue(config);
            var text = value switch
            {
                null => "null",
                string s => s,
                System.Collections.IDictionary map => string.Join(",", map.Keys.Cast<object>().Select(k => $"{k}={map[k]}")),
                System.Collections.IEnumerable items => string.Join(",", items.Cast<object?>().Select(i => i?.ToString())),
                _ => value.ToString(),
            };
            values.Add(property.Name + "=" + text);
        }

        return values;
    }
}
