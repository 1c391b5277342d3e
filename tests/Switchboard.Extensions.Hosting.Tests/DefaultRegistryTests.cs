using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Extensions.Hosting.Tests.Support;

namespace Switchboard.Extensions.Hosting.Tests;

using HealthStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus;

/// <summary><c>UseDefaultRegistry = true</c> (the default): the host configures <see cref="ConnectionRegistry.Default"/>, which models use without <c>Activate</c>.</summary>
[Collection(DefaultRegistryCollection.Name)]
public sealed class DefaultRegistryTests
{
    private static Dictionary<string, string?> Settings(string name) => new()
    {
        [$"Switchboard:Connections:{name}:driver"] = "sqlite",
        [$"Switchboard:Connections:{name}:database"] = "{folder}/" + name + ".db",
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AddSwitchboard_ByDefault_ConfiguresTheDefaultRegistry_WhichModelsUse(bool async)
    {
        var host = HostFixture.Create(Settings("hosted_default"), o => o.UseDefaultRegistry = true, s => s.AddLogging());
        await using (host)
        {
            await host.Host.StartAsync(TestContext.Current.CancellationToken);

            Assert.Same(ConnectionRegistry.Default, host.Registry);
            Assert.Same(host.Services.GetRequiredService<ILoggerFactory>(), ConnectionRegistry.Default.LoggerFactory);
            ConnectionManager.GetConnection("hosted_default").Execute("CREATE TABLE hosted_items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL)");
            var item = new HostedItem { Name = "from a model" };
            if (async)
            {
                await item.SaveAsync(TestContext.Current.CancellationToken);
            }
            else
            {
                item.Save();
            }

            var found = async ? await HostedItem.FindAsync(item.Id, TestContext.Current.CancellationToken) : HostedItem.Find(item.Id);
            Assert.Equal("from a model", found.Name);
        }

        Assert.False(ConnectionRegistry.Default.IsConfigured("hosted_default"));
        Assert.Null(ConnectionRegistry.Default.LoggerFactory);
    }

    [Fact]
    public async Task Dispose_OfAnOlderHostAfterTheNextOneStarted_LeavesTheNewHostsConnectionsAndLogging()
    {
        // WebApplication.Run disposes its host on the application's thread, after the next host may have started.
        var older = HostFixture.Create(Settings("shared_name"), o => o.UseDefaultRegistry = true, s => s.AddLogging());
        await older.Host.StartAsync(TestContext.Current.CancellationToken);
        await older.Host.StopAsync(TestContext.Current.CancellationToken);
        await using var newer = HostFixture.Create(Settings("shared_name"), o => o.UseDefaultRegistry = true, s => s.AddLogging());
        var connection = newer.Registry.GetConnection("shared_name");

        older.Host.Dispose();

        Assert.Same(connection, ConnectionRegistry.Default.GetConnection("shared_name"));
        Assert.Equal(1, connection.Scalar<long>("SELECT 1"));
        Assert.Same(newer.Services.GetRequiredService<ILoggerFactory>(), ConnectionRegistry.Default.LoggerFactory);
        await older.DisposeAsync();
    }

    [Fact]
    public async Task Dispose_OfAnOlderHostThatResolvedTheRegistry_LeavesTheNewHostsConnections()
    {
        var older = HostFixture.Create(Settings("resolved_name"), o => o.UseDefaultRegistry = true, s => s.AddLogging());
        _ = older.Registry;
        await older.Host.StartAsync(TestContext.Current.CancellationToken);
        await older.Host.StopAsync(TestContext.Current.CancellationToken);
        await using var newer = HostFixture.Create(Settings("resolved_name"), o => o.UseDefaultRegistry = true, s => s.AddLogging());
        var connection = newer.Registry.GetConnection("resolved_name");

        older.Host.Dispose();

        Assert.Equal(1, connection.Scalar<long>("SELECT 1"));
        await older.DisposeAsync();
    }

    [Fact]
    public async Task AddSwitchboard_DefaultRegistry_RunsOnTheHostsClock_AndIsTheDefaultUntilTheHostIsDisposed()
    {
        var builtIn = ConnectionRegistry.Default;
        var clock = new FakeTimeProvider();
        var host = HostFixture.Create(Settings("clocked"), o => o.UseDefaultRegistry = true, s => s.AddLogging().AddSingleton<TimeProvider>(clock));
        await using (host)
        {
            Assert.Same(clock, host.Registry.TimeProvider);
            Assert.Same(host.Registry, ConnectionRegistry.Default);
            Assert.Equal(1, ConnectionManager.GetConnection("clocked").Scalar<long>("SELECT 1"));
        }

        Assert.Same(builtIn, ConnectionRegistry.Default);
        Assert.False(ConnectionRegistry.Default.IsConfigured("clocked"));
    }

    [Fact]
    public async Task AddSwitchboard_InvalidSection_LeavesTheDefaultAlone()
    {
        var builtIn = ConnectionRegistry.Default;
        var settings = Settings("invalid_default");
        settings["Switchboard:Connections:invalid_default:pool_size"] = "0";
        await using var host = HostFixture.Create(settings, o => o.UseDefaultRegistry = true, s => s.AddLogging());

        Assert.Throws<ConfigurationException>(() => host.Registry);

        Assert.Same(builtIn, ConnectionRegistry.Default);
    }

    [Fact]
    public async Task HealthChecks_WithoutAddSwitchboard_ReportTheDefaultRegistry()
    {
        ConnectionManager.Configure("coded", new Dictionary<string, object?> { ["driver"] = "sqlite", ["database"] = ":memory:" });
        try
        {
            var services = new ServiceCollection().AddLogging();
            services.AddHealthChecks().AddSwitchboard();
            await using var provider = services.BuildServiceProvider();

            var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

            Assert.Equal(HealthStatus.Healthy, report.Entries["switchboard:coded"].Status);
        }
        finally
        {
            ConnectionManager.Dispose("coded");
        }
    }
}

[Connection("hosted_default")]
[Table("hosted_items")]
public class HostedItem : ActiveRecord<HostedItem>
{
    public long Id { get; set; }

    public string Name { get; set; } = "";
}
