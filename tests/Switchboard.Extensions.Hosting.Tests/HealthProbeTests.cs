using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Switchboard.Extensions.Hosting.Tests.Support;

namespace Switchboard.Extensions.Hosting.Tests;

using HealthStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus;

/// <summary>What one health round pings: the connections that have entries, each on its own.</summary>
public sealed class HealthProbeTests
{
    private static Task<HealthReport> Check(HostFixture host) =>
        host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

    [Fact]
    public async Task TenantsResolvedAfterStart_AreNeverPinged_SoNoTenantDatabaseIsOpenedByAHealthCheck()
    {
        await using var host = HostFixture.Create(
            new Dictionary<string, string?>
            {
                ["Switchboard:Connections:main:driver"] = "sqlite",
                ["Switchboard:Connections:main:database"] = "{folder}/main.db",
                ["Switchboard:Tenants:tenant:driver"] = "sqlite",
                ["Switchboard:Tenants:tenant:database"] = "{folder}/tenant-{tenant}.db",
            },
            services: s => s.AddHealthChecks().AddSwitchboard());
        await host.Host.StartAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Healthy, (await Check(host)).Status);

        _ = host.Registry.GetConnection("tenant:acme"); // configured by the resolver; its pool opens on first use
        var report = await Check(host);

        Assert.Equal(["switchboard:main"], report.Entries.Keys);
        Assert.False(File.Exists(Path.Combine(host.Folder, "tenant-acme.db")), "the health check opened a tenant's database");
    }

    [Fact]
    public async Task AServerThatNeverAnswers_FailsItsOwnEntry_AndTheOthersReportTheirOwnHealth()
    {
        // Accepts connections into its backlog and never answers: the driver's open waits for a reply that never comes.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var host = HostFixture.Create(
            new Dictionary<string, string?>
            {
                ["Switchboard:Connections:main:driver"] = "sqlite",
                ["Switchboard:Connections:main:database"] = "{folder}/main.db",
                ["Switchboard:Connections:hung:driver"] = "postgresql",
                ["Switchboard:Connections:hung:host"] = "127.0.0.1",
                ["Switchboard:Connections:hung:port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Switchboard:Connections:hung:database"] = "app",
                ["Switchboard:Connections:hung:username"] = "app",
                ["Switchboard:Connections:hung:password"] = "pw",
                ["Switchboard:Connections:hung:connect_timeout"] = "30",
                ["Switchboard:Connections:hung:pool_timeout"] = "30",
            },
            services: s => s.AddHealthChecks().AddSwitchboard(o => o.Timeout = TimeSpan.FromSeconds(3)));
        Assert.Equal(1L, host.Registry.GetConnection("main").Scalar<long>("SELECT 1")); // its first open is not what is measured

        var report = await Check(host);

        Assert.Equal(HealthStatus.Healthy, report.Entries["switchboard:main"].Status);
        Assert.InRange(report.Entries["switchboard:main"].Duration, TimeSpan.Zero, TimeSpan.FromSeconds(2)); // not waiting for the other
        var hung = report.Entries["switchboard:hung"];
        Assert.Equal(HealthStatus.Unhealthy, hung.Status); // the probe's deadline or the entry's own timeout, whichever fires first
        Assert.Contains("timeout", hung.Description, StringComparison.OrdinalIgnoreCase);
        Assert.InRange(report.TotalDuration, TimeSpan.Zero, TimeSpan.FromSeconds(20));
    }
}
