using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Extensions.Hosting.Tests.Support;

namespace Switchboard.Extensions.Hosting.Tests;

public sealed class SwitchboardServiceCollectionExtensionsTests
{
    private static Dictionary<string, string?> Sqlite(string name = "primary", params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"Switchboard:Connections:{name}:driver"] = "sqlite",
            [$"Switchboard:Connections:{name}:database"] = "{folder}/" + name + ".db",
        };
        foreach (var (key, value) in extra)
        {
            settings[$"Switchboard:Connections:{name}:{key}"] = value;
        }

        return settings;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AddSwitchboard_ReadsStringValuesWithTheDictionaryKeys_AndTheConnectionWorks(bool async)
    {
        await using var host = HostFixture.Create(Sqlite("primary", ("pool_size", "3"), ("pool_timeout", "2.5"), ("echo", "false"), ("checkout_order", "fifo"), ("pool_recycle", "-1")));
        var connection = host.Registry.GetConnection("primary");

        Assert.Equal(3, connection.Config.PoolSize);
        Assert.Equal(TimeSpan.FromSeconds(2.5), connection.Config.PoolTimeout);
        Assert.Null(connection.Config.PoolRecycle);
        Assert.Equal(CheckoutOrder.Fifo, connection.Config.CheckoutOrder);
        var answer = async ? await connection.ScalarAsync<long>("SELECT 41 + 1", cancellationToken: TestContext.Current.CancellationToken) : connection.Scalar<long>("SELECT 41 + 1");
        Assert.Equal(42, answer);
    }

    [Fact]
    public async Task AddSwitchboard_ConnectionGivenAsAUrl_IsConfiguredFromTheUrl()
    {
        var folder = HostFixture.NewFolder();
        await using var host = HostFixture.Create(new Dictionary<string, string?> { ["Switchboard:Connections:reports"] = $"sqlite:///{folder}/reports.db?pool_size=4" });

        Assert.Equal(4, host.Registry.GetConnection("reports").Config.PoolSize);
        Assert.Equal(1, host.Registry.GetConnection("reports").Scalar<long>("SELECT 1"));
    }

    [Fact]
    public async Task AddSwitchboard_NestedSection_BecomesANestedDictionary()
    {
        await using var host = HostFixture.Create(new Dictionary<string, string?>
        {
            ["Switchboard:Connections:shop:driver"] = "mariadb",
            ["Switchboard:Connections:shop:host"] = "127.0.0.1",
            ["Switchboard:Connections:shop:database"] = "shop",
            ["Switchboard:Connections:shop:ssl:mode"] = "required",
            ["Switchboard:Connections:shop:ssl:ca"] = "/etc/ca.pem",
        });

        var ssl = host.Registry.GetConnection("shop").Config.Ssl;
        Assert.NotNull(ssl);
        Assert.Equal("required", ssl["mode"]);
        Assert.Equal("/etc/ca.pem", ssl["ca"]);
    }

    [Theory]
    [InlineData("pool_size", "0", "Switchboard:Connections:primary:pool_size")]
    [InlineData("pool_size", "many", "Switchboard:Connections:primary:pool_size")]
    [InlineData("Pool_Timeout", "-3", "Switchboard:Connections:primary:Pool_Timeout")]
    [InlineData("pool_sise", "5", "Switchboard:Connections:primary:pool_sise")]
    public async Task AddSwitchboard_InvalidValue_ThrowsNamingTheConfigurationPath(string key, string value, string path)
    {
        await using var host = HostFixture.Create(Sqlite("primary", (key, value)));

        var error = Assert.Throws<ConfigurationException>(() => host.Registry);

        Assert.StartsWith($"Configuration '{path}' is invalid:", error.Message, StringComparison.Ordinal);
        Assert.Equal("primary", error.ConnectionName);
    }

    [Fact]
    public async Task AddSwitchboard_SecondConnectionInvalid_LeavesNoneConfigured()
    {
        var settings = Sqlite("a");
        foreach (var (key, value) in Sqlite("b", ("pool_size", "0")))
        {
            settings[key] = value;
        }

        var registry = new ConnectionRegistry();
        await using var host = HostFixture.Create(settings, o => o.ConfigureRegistry = r => registry = r);

        Assert.Throws<ConfigurationException>(() => host.Registry);

        Assert.Empty(registry.Names);
    }

    [Fact]
    public async Task AddSwitchboard_InvalidConfiguration_StopsTheHostAtStart()
    {
        await using var host = HostFixture.Create(Sqlite("primary", ("min_idle", "9"), ("pool_size", "2")));

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => host.Host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("'Switchboard:Connections:primary:min_idle'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("port", "not-a-port")]
    [InlineData("connect_timeout", "0")]
    [InlineData("password:nested", null)]
    public async Task AddSwitchboard_Error_NeverContainsThePassword(string key, string? value)
    {
        const string Password = "Pw-7c1e0f3b";
        var settings = new Dictionary<string, string?>
        {
            ["Switchboard:Connections:pg:driver"] = "postgresql",
            ["Switchboard:Connections:pg:host"] = "127.0.0.1",
            ["Switchboard:Connections:pg:database"] = "app",
            ["Switchboard:Connections:pg:username"] = "app",
            ["Switchboard:Connections:pg:password"] = Password,
        };
        if (value is null)
        {
            // A password given as a section instead of a string: the wrong-type error must not echo it.
            settings.Remove("Switchboard:Connections:pg:password");
            settings["Switchboard:Connections:pg:" + key] = Password;
        }
        else
        {
            settings["Switchboard:Connections:pg:" + key] = value;
        }

        await using var host = HostFixture.Create(settings);

        var error = Assert.ThrowsAny<SwitchboardException>(() => host.Registry);

        Assert.Contains("Switchboard:Connections:pg:" + key.Split(':')[0], error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddSwitchboard_EnvironmentVariables_OverrideTheFileValues()
    {
        // Switchboard__Connections__primary__password, under a prefix unique to this test (variables are process-wide).
        var prefix = "SBTEST_" + Guid.NewGuid().ToString("N")[..8] + "_";
        var variables = new Dictionary<string, string>
        {
            [prefix + "Switchboard__Connections__primary__pool_size"] = "7",
            [prefix + "Switchboard__Connections__pg__password"] = "from-the-environment",
        };
        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            var settings = Sqlite("primary", ("pool_size", "3"));
            settings["Switchboard:Connections:pg:driver"] = "postgresql";
            settings["Switchboard:Connections:pg:host"] = "127.0.0.1";
            settings["Switchboard:Connections:pg:database"] = "app";
            settings["Switchboard:Connections:pg:username"] = "app";
            settings["Switchboard:Connections:pg:password"] = "from-the-file";
            await using var host = HostFixture.Create(settings, configuration: c => c.AddEnvironmentVariables(prefix));

            Assert.Equal(7, host.Registry.GetConnection("primary").Config.PoolSize);
            Assert.Equal("from-the-environment", host.Registry.GetConnection("pg").Config.Password);
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
    public async Task AddSwitchboard_DefaultConnection_SetsTheRegistrysDefault()
    {
        var settings = Sqlite("a");
        foreach (var (key, value) in Sqlite("b"))
        {
            settings[key] = value;
        }

        settings["Switchboard:DefaultConnection"] = "b";
        await using var host = HostFixture.Create(settings);

        Assert.Equal("b", host.Registry.DefaultConnectionName);
    }

    [Fact]
    public async Task AddSwitchboard_IndependentRegistry_IsASingletonOnTheHostsLoggerFactoryAndClock()
    {
        var clock = new FakeTimeProvider();
        await using var host = HostFixture.Create(Sqlite(), services: s => s.AddSingleton<TimeProvider>(clock).AddLogging());

        var registry = host.Registry;

        Assert.Same(registry, host.Services.GetRequiredService<ConnectionRegistry>());
        Assert.NotSame(ConnectionRegistry.Default, registry);
        Assert.Same(clock, registry.TimeProvider);
        Assert.Same(host.Services.GetRequiredService<ILoggerFactory>(), registry.LoggerFactory);
    }

    [Fact]
    public async Task AddSwitchboard_ConfigureRegistry_RunsBeforeTheConnectionsAreConfigured()
    {
        var seen = new List<string>();
        await using var host = HostFixture.Create(Sqlite("primary"), o => o.ConfigureRegistry = r =>
        {
            seen.Add("configured: " + string.Join(",", r.Names));
            r.AddSqlite();
        });

        Assert.Equal(1, host.Registry.GetConnection("primary").Scalar<long>("SELECT 1"));
        Assert.Equal(["configured: "], seen);
    }

    [Fact]
    public void AddSwitchboard_CalledTwice_Throws()
    {
        var services = new ServiceCollection();
        var section = new ConfigurationBuilder().Build().GetSection("Switchboard");
        services.AddSwitchboard(section);

        var error = Assert.Throws<InvalidOperationException>(() => services.AddSwitchboard(section));

        Assert.Contains("AddSwitchboard was called twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSwitchboard_NegativeGracePeriod_ThrowsNamingTheOption()
    {
        var section = new ConfigurationBuilder().Build().GetSection("Switchboard");

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddSwitchboard(section, o => o.ShutdownGracePeriod = TimeSpan.FromSeconds(-1)));

        Assert.Contains("ShutdownGracePeriod", error.Message, StringComparison.Ordinal);
    }
}
