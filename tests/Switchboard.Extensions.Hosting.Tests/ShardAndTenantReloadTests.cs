using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Extensions.Hosting.Tests.Support;

namespace Switchboard.Extensions.Hosting.Tests;

/// <summary>A reload applies changed, added and removed shards and tenant templates, as it does connections.</summary>
public sealed class ShardAndTenantReloadTests
{
    private static Dictionary<string, string?> Settings() => new()
    {
        ["Switchboard:Connections:main:driver"] = "sqlite",
        ["Switchboard:Connections:main:database"] = "{folder}/main.db",
        ["Switchboard:Shards:orders:eu:driver"] = "sqlite",
        ["Switchboard:Shards:orders:eu:database"] = "{folder}/eu.db",
        ["Switchboard:Shards:orders:us:driver"] = "sqlite",
        ["Switchboard:Shards:orders:us:database"] = "{folder}/us.db",
        ["Switchboard:Tenants:tenant:driver"] = "sqlite",
        ["Switchboard:Tenants:tenant:database"] = "{folder}/tenant-{tenant}.db",
        ["Switchboard:Tenants:tenant:pool_size"] = "2",
    };

    [Fact]
    public async Task Reload_ChangedShard_IsReplaced_AndAnUnchangedEntryKeepsItsConnections()
    {
        await using var host = HostFixture.Create(Settings());
        await host.Host.StartAsync(TestContext.Current.CancellationToken);
        var eu = host.Registry.GetConnection("orders:eu");
        var acme = host.Registry.GetConnection("tenant:acme");

        host.Source.Change(("Switchboard:Shards:orders:eu:pool_size", "7"));

        Assert.Equal(7, host.Registry.GetConnection("orders:eu").Config.PoolSize);
        Assert.NotSame(eu, host.Registry.GetConnection("orders:eu"));
        Assert.Same(acme, host.Registry.GetConnection("tenant:acme"));
        Assert.Equal(["eu", "us"], host.Registry.ShardsOf("orders"));
    }

    [Fact]
    public async Task Reload_AddedAndRemovedShards_ChangeWhatCanBeChosen()
    {
        await using var host = HostFixture.Create(Settings());
        await host.Host.StartAsync(TestContext.Current.CancellationToken);

        host.Source.Change(("Switchboard:Shards:orders:ap:driver", "sqlite"), ("Switchboard:Shards:orders:ap:database", Path.Combine(host.Folder, "ap.db")));
        host.Source.RemoveSection("Switchboard:Shards:orders:us");

        Assert.Equal(["ap", "eu"], host.Registry.ShardsOf("orders"));
        Assert.False(host.Registry.IsConfigured("orders:us"));
        using (host.Registry.UsingShard("orders", "ap"))
        {
            host.Registry.GetConnection("orders").Execute("CREATE TABLE placed (id INTEGER)");
        }

        Assert.True(File.Exists(Path.Combine(host.Folder, "ap.db")));

        host.Source.RemoveSection("Switchboard:Shards:orders");

        Assert.Throws<ConfigurationException>(() => host.Registry.ShardsOf("orders"));
        Assert.False(host.Registry.IsConfigured("orders:eu"));
    }

    [Fact]
    public async Task Reload_InvalidShard_KeepsTheOldShards_AndLogsThePath()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = HostFixture.Create(Settings(), services: s => s.AddLogging(l => l.AddProvider(logs)));
        await host.Host.StartAsync(TestContext.Current.CancellationToken);
        var eu = host.Registry.GetConnection("orders:eu");

        host.Source.Change(("Switchboard:Shards:orders:us:pool_size", "0"));

        Assert.Same(eu, host.Registry.GetConnection("orders:eu"));
        Assert.Equal(["eu", "us"], host.Registry.ShardsOf("orders"));
        Assert.Contains(logs.Messages, m => m.Contains("'Switchboard:Shards:orders:us:pool_size'", StringComparison.Ordinal));

        host.Source.Change(("Switchboard:Shards:orders:us:pool_size", "3"));
        Assert.Equal(3, host.Registry.GetConnection("orders:us").Config.PoolSize);
    }

    [Fact]
    public async Task Reload_ChangedTenantTemplate_ConfiguresOpenTenantsAgain_AndARemovedOneForgetsThem()
    {
        await using var host = HostFixture.Create(Settings());
        await host.Host.StartAsync(TestContext.Current.CancellationToken);
        var acme = host.Registry.GetConnection("tenant:acme");
        acme.Execute("CREATE TABLE notes (id INTEGER)");

        host.Source.Change(("Switchboard:Tenants:tenant:database", Path.Combine(host.Folder, "moved-{tenant}.db")), ("Switchboard:Tenants:tenant:pool_size", "4"));

        var moved = host.Registry.GetConnection("tenant:acme");
        Assert.Equal(4, moved.Config.PoolSize);
        Assert.EndsWith("moved-acme.db", moved.Config.Database, StringComparison.Ordinal);
        Assert.Equal(0L, moved.Scalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'notes'"));
        Assert.EndsWith("moved-globex.db", host.Registry.GetConnection("tenant:globex").Config.Database, StringComparison.Ordinal);

        host.Source.RemoveSection("Switchboard:Tenants:tenant");

        Assert.False(host.Registry.IsConfigured("tenant:acme"));
        Assert.Throws<ConfigurationException>(() => host.Registry.GetConnection("tenant:initech"));
    }

    [Fact]
    public async Task Reload_InvalidTenantTemplate_KeepsTheOldOne_AndLogsThePath()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = HostFixture.Create(Settings(), services: s => s.AddLogging(l => l.AddProvider(logs)));
        await host.Host.StartAsync(TestContext.Current.CancellationToken);
        var acme = host.Registry.GetConnection("tenant:acme");

        host.Source.Change(("Switchboard:Tenants:tenant:database", Path.Combine(host.Folder, "shared.db")));

        Assert.Same(acme, host.Registry.GetConnection("tenant:acme"));
        Assert.EndsWith("tenant-globex.db", host.Registry.GetConnection("tenant:globex").Config.Database, StringComparison.Ordinal);
        Assert.Contains(logs.Messages, m => m.Contains("'Switchboard:Tenants:tenant'", StringComparison.Ordinal) && m.Contains("{tenant}", StringComparison.Ordinal));
    }
}
