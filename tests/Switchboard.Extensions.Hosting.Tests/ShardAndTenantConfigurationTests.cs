using Switchboard.Extensions.Hosting.Tests.Support;

namespace Switchboard.Extensions.Hosting.Tests;

/// <summary><c>Switchboard:Shards</c> and <c>Switchboard:Tenants</c>, on SQLite files.</summary>
public sealed class ShardAndTenantConfigurationTests
{
    private static Dictionary<string, string?> Shards() => new()
    {
        ["Switchboard:Shards:orders:eu:driver"] = "sqlite",
        ["Switchboard:Shards:orders:eu:database"] = "{folder}/eu.db",
        ["Switchboard:Shards:orders:us"] = "sqlite:///{folder}/us.db",
    };

    private static Dictionary<string, string?> Tenants() => new()
    {
        ["Switchboard:Tenants:tenant:driver"] = "sqlite",
        ["Switchboard:Tenants:tenant:database"] = "{folder}/tenant-{tenant}.db",
        ["Switchboard:Tenants:tenant:pool_size"] = "2",
    };

    [Fact]
    public async Task Shards_FromDictionaryAndUrl_AreConfigured_AndAStatementGoesToTheChosenShard()
    {
        await using var host = HostFixture.Create(Shards());
        var registry = host.Registry;

        Assert.Equal(["eu", "us"], registry.ShardsOf("orders"));
        using (registry.UsingShard("orders", "us"))
        {
            registry.GetConnection("orders").Execute("CREATE TABLE placed (id INTEGER)");
        }

        Assert.Equal(1L, registry.GetConnection("orders:us").Scalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'placed'"));
        Assert.Equal(0L, registry.GetConnection("orders:eu").Scalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'placed'"));
        Assert.True(File.Exists(Path.Combine(host.Folder, "us.db")));
    }

    [Fact]
    public async Task Shards_InvalidKey_ThrowsNamingItsConfigurationPath_AndConfiguresNone()
    {
        var settings = Shards();
        settings["Switchboard:Shards:orders:eu:pool_size"] = "lots";
        var registry = new ConnectionRegistry();
        await using var host = HostFixture.Create(settings, o => o.ConfigureRegistry = r => registry = r);

        var error = Assert.Throws<ConfigurationException>(() => host.Registry);

        Assert.StartsWith("Configuration 'Switchboard:Shards:orders:eu:pool_size' is invalid:", error.Message, StringComparison.Ordinal);
        Assert.Empty(registry.Names);
    }

    [Fact]
    public async Task Tenants_AreConfiguredOnFirstUse_FromTheTemplate_WithTheirIdInPlaceOfTheToken()
    {
        await using var host = HostFixture.Create(Tenants());

        var acme = host.Registry.GetConnection("tenant:acme");
        acme.Execute("CREATE TABLE notes (id INTEGER)");

        Assert.True(File.Exists(Path.Combine(host.Folder, "tenant-acme.db")));
        Assert.Equal(2, acme.Config.PoolSize);
        Assert.Equal(0L, host.Registry.GetConnection("tenant:globex").Scalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'notes'"));
    }

    [Theory]
    [InlineData("tenant:../escape")]
    [InlineData("tenant:a/b")]
    [InlineData("tenant:")]
    public async Task Tenants_AnIdThatCouldLeaveTheTemplate_IsRefused_AndNothingIsCreated(string name)
    {
        await using var host = HostFixture.Create(Tenants());
        var registry = host.Registry;

        var error = Assert.ThrowsAny<ConfigurationException>(() => registry.GetConnection(name));

        Assert.Contains("Switchboard:Tenants:tenant", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(host.Folder, "*", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(host.Folder)!, "escape.db")));
    }

    [Fact]
    public async Task Tenants_TemplateWithoutTheToken_ThrowsAtStartNamingItsPath()
    {
        var settings = Tenants();
        settings["Switchboard:Tenants:tenant:database"] = "{folder}/shared.db";
        await using var host = HostFixture.Create(settings);

        var error = Assert.Throws<ConfigurationException>(() => host.Registry);

        Assert.Contains("'Switchboard:Tenants:tenant'", error.Message, StringComparison.Ordinal);
        Assert.Contains("{tenant}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tenants_TemplateWithAnInvalidKey_ThrowsAtStartNamingItsPath()
    {
        var settings = Tenants();
        settings["Switchboard:Tenants:tenant:pool_sise"] = "2";
        await using var host = HostFixture.Create(settings);

        var error = Assert.Throws<ConfigurationException>(() => host.Registry);

        Assert.StartsWith("Configuration 'Switchboard:Tenants:tenant:pool_sise' is invalid:", error.Message, StringComparison.Ordinal);
    }
}
