using Switchboard.Tests.Support;

namespace Switchboard.Tests.Configuration;

public class ConnectionConfigTests
{
    [Fact]
    public void FromDictionary_ReadsTheSeedsSnakeCaseKeys()
    {
        var config = ConnectionConfig.FromDictionary(new Dictionary<string, object?>
        {
            ["driver"] = "postgresql",
            ["host"] = "localhost",
            ["port"] = 5432,
            ["database"] = "myapp",
            ["username"] = "user",
            ["password"] = "password",
            ["pool_size"] = 10,
            ["pool_timeout"] = 30,
            ["pool_recycle"] = 1800,
            ["echo"] = true,
            ["schema"] = "sales",
            ["sslmode"] = "require",
        });

        Assert.Equal("postgresql", config.Driver);
        Assert.Equal("localhost", config.Host);
        Assert.Equal(5432, config.Port);
        Assert.Equal("myapp", config.Database);
        Assert.Equal("user", config.Username);
        Assert.Equal("password", config.Password);
        Assert.Equal(10, config.PoolSize);
        Assert.Equal(TimeSpan.FromSeconds(30), config.PoolTimeout);
        Assert.Equal(TimeSpan.FromMinutes(30), config.PoolRecycle);
        Assert.True(config.Echo);
        Assert.Equal("sales", config.Schema);
        Assert.Equal("require", config.SslMode);
    }

    [Fact]
    public void FromDictionary_AcceptsNumbersAsTextAndFractionalSeconds()
    {
        var config = ConnectionConfig.FromDictionary(new Dictionary<string, object?>
        {
            ["driver"] = "sqlite",
            ["database"] = "x.db",
            ["pool_size"] = "7",
            ["pool_timeout"] = 0.25,
            ["pool_recycle"] = -1,
            ["echo"] = "yes",
        });

        Assert.Equal(7, config.PoolSize);
        Assert.Equal(TimeSpan.FromMilliseconds(250), config.PoolTimeout);
        Assert.Null(config.PoolRecycle);
        Assert.True(config.Echo);
    }

    [Fact]
    public void FromDictionary_UnknownKey_NamesItAndSuggestsTheClosest()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConnectionConfig.FromDictionary(new Dictionary<string, object?> { ["pool_sise"] = 5 }));
        Assert.Equal("pool_sise", error.Key);
        Assert.Contains("Unknown configuration key 'pool_sise'", error.Message);
        Assert.Contains("Did you mean 'pool_size'?", error.Message);
    }

    [Theory]
    [InlineData("pool_size", "ten", "a whole number")]
    [InlineData("pool_size", 2.5, "a whole number")]
    [InlineData("echo", "maybe", "true or false")]
    [InlineData("pool_timeout", "soon", "a number of seconds")]
    [InlineData("port", true, "a whole number")]
    [InlineData("database", 42, "a string")]
    public void FromDictionary_WrongType_NamesTheKeyAndWhatItMustBe(string key, object value, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => ConnectionConfig.FromDictionary(new Dictionary<string, object?> { [key] = value }));
        Assert.Equal(key, error.Key);
        Assert.Contains($"'{key}' must be {expected}", error.Message);
    }

    [Fact]
    public void FromDictionary_WrongTypeOfPassword_NeverShowsTheValue()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConnectionConfig.FromDictionary(new Dictionary<string, object?> { ["password"] = 918273645 }));
        Assert.DoesNotContain("918273645", error.Message);
        Assert.Contains("password", error.Message);
    }

    [Theory]
    [InlineData("postgresql://user:s3cret@db.example:5433/reports?pool_size=5", "postgresql", "db.example", 5433, "reports", "user", "s3cret", 5)]
    [InlineData("mysql://app:p%40ss%3Aword@10.0.0.1/shop", "mysql", "10.0.0.1", null, "shop", "app", "p@ss:word", 10)]
    [InlineData("postgres://localhost/analytics", "postgres", "localhost", null, "analytics", null, null, 10)]
    public void Parse_ReadsServerUrls(string url, string driver, string host, int? port, string database, string? user, string? password, int poolSize)
    {
        var config = ConnectionConfig.Parse(url);
        Assert.Equal(driver, config.Driver);
        Assert.Equal(host, config.Host);
        Assert.Equal(port, config.Port);
        Assert.Equal(database, config.Database);
        Assert.Equal(user, config.Username);
        Assert.Equal(password, config.Password);
        Assert.Equal(poolSize, config.PoolSize);
    }

    [Theory]
    [InlineData("sqlite:///path/main.db", "path/main.db")]
    [InlineData("sqlite:////var/data/main.db", "/var/data/main.db")]
    [InlineData("sqlite:///:memory:", ":memory:")]
    public void Parse_ReadsSqliteUrlsAsSqlAlchemyDoes(string url, string database)
    {
        var config = ConnectionConfig.Parse(url);
        Assert.Equal("sqlite", config.Driver);
        Assert.Equal(database, config.Database);
    }

    [Theory]
    [InlineData("localhost:5432/db")]
    [InlineData("postgresql://u:hunter2@host:notaport/db")]
    [InlineData("postgresql://u:hunter2@host/db?pool_size=lots")]
    public void Parse_BadUrl_ExplainsWithoutThePassword(string url)
    {
        var error = Assert.Throws<ConfigurationException>(() => ConnectionConfig.Parse(url));
        Assert.DoesNotContain("hunter2", error.Message);
    }

    [Fact]
    public void FromEnvironment_ReadsPrefixedVariablesIncludingTheSeedsNames()
    {
        var prefix = "SBTEST" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var variables = new Dictionary<string, string>
        {
            [prefix + "_DRIVER"] = "postgresql",
            [prefix + "_HOST"] = "db.internal",
            [prefix + "_PORT"] = "6543",
            [prefix + "_NAME"] = "tenant7",
            [prefix + "_USER"] = "svc",
            [prefix + "_PASSWORD"] = "pw",
            [prefix + "_POOL_SIZE"] = "3",
            [prefix + "_ECHO"] = "true",
        };
        try
        {
            foreach (var (name, value) in variables)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            var config = ConnectionConfig.FromEnvironment(prefix);
            Assert.Equal("postgresql", config.Driver);
            Assert.Equal("db.internal", config.Host);
            Assert.Equal(6543, config.Port);
            Assert.Equal("tenant7", config.Database);
            Assert.Equal("svc", config.Username);
            Assert.Equal("pw", config.Password);
            Assert.Equal(3, config.PoolSize);
            Assert.True(config.Echo);
        }
        finally
        {
            foreach (var name in variables.Keys)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    [Fact]
    public void FromEnvironment_UrlVariable_IsReadAndOverriddenBySingleVariables()
    {
        var prefix = "SBTEST" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        try
        {
            Environment.SetEnvironmentVariable(prefix + "_URL", "postgresql://u:p@h:1/db?pool_size=4");
            Environment.SetEnvironmentVariable(prefix + "_POOL_SIZE", "9");
            var config = ConnectionConfig.FromEnvironment(prefix);
            Assert.Equal("h", config.Host);
            Assert.Equal(9, config.PoolSize);
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "_URL", null);
            Environment.SetEnvironmentVariable(prefix + "_POOL_SIZE", null);
        }
    }

    [Fact]
    public void ToString_NeverShowsThePassword()
    {
        var config = new ConnectionConfig { Driver = "postgresql", Host = "h", Port = 5432, Database = "d", Username = "u", Password = "correct-horse-battery" };
        var text = config.ToString();
        Assert.DoesNotContain("correct-horse-battery", text);
        Assert.Contains("u:***@h:5432/d", text);
    }

    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var config = new ConnectionConfig();
        Assert.Equal(10, config.PoolSize);
        Assert.Equal(TimeSpan.FromSeconds(30), config.PoolTimeout);
        Assert.Equal(TimeSpan.FromMinutes(30), config.PoolRecycle);
        Assert.False(config.Echo);
        Assert.False(config.EchoParameters);
    }
}
