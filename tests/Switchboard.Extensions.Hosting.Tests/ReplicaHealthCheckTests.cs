using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Switchboard.Extensions.Hosting.Tests.Support;

namespace Switchboard.Extensions.Hosting.Tests;

using HealthStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus;

/// <summary>One health entry per replica, from routing's view of it; SQLite "replicas" are other files.</summary>
public sealed class ReplicaHealthCheckTests
{
    private static HostFixture Create(params string[] replicaFiles)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Switchboard:Connections:main:driver"] = "sqlite",
            ["Switchboard:Connections:main:database"] = "{folder}/main.db",
            ["Switchboard:Connections:main:pool_size"] = "2",
            ["Switchboard:Connections:main:read_your_writes"] = "off",
        };
        for (var i = 0; i < replicaFiles.Length; i++)
        {
            settings[$"Switchboard:Connections:main:replicas:{i}:database"] = replicaFiles[i];
        }

        return HostFixture.Create(settings, services: s => s.AddHealthChecks().AddSwitchboard());
    }

    private static Task<HealthReport> Check(HostFixture host) =>
        host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

    [Fact]
    public async Task Check_OneEntryPerReplica_WithReplicaTag_HostAndPoolStatistics()
    {
        await using var host = Create("{folder}/r0.db", "{folder}/r1.db");
        Assert.Equal(1L, host.Registry.GetConnection("main").Scalar<long>("SELECT 1"));

        var report = await Check(host);

        Assert.Equal(["switchboard:main", "switchboard:main/replica0", "switchboard:main/replica1"], report.Entries.Keys.Order(StringComparer.Ordinal));
        var replica = report.Entries["switchboard:main/replica0"];
        Assert.Equal(HealthStatus.Healthy, replica.Status);
        Assert.Equal(["db", "replica", "sqlite", "switchboard"], replica.Tags.Order(StringComparer.Ordinal));
        Assert.Equal("main", replica.Data["connection"]);
        Assert.Equal(0, replica.Data["replica"]);
        Assert.Equal("healthy", replica.Data["health"]);
        Assert.Equal(2, replica.Data["pool_size"]);
        Assert.Equal(1, report.Entries["switchboard:main/replica1"].Data["replica"]);
        Assert.DoesNotContain("switchboard:main/replica0", report.Entries["switchboard:main"].Tags);
        var opened = report.Entries.Where(e => e.Key.Contains("/replica", StringComparison.Ordinal)).Sum(e => (long)e.Value.Data["opened_total"]);
        Assert.True(opened >= 1, "the read opened a connection on one of the replicas");
    }

    [Fact]
    public async Task Check_ReplicaThatCannotBeReached_IsUnhealthy_WhileThePrimaryIsHealthy()
    {
        await using var host = Create("{folder}/missing-dir/replica.db");
        Assert.Equal(1L, host.Registry.GetConnection("main").Scalar<long>("SELECT 1"));

        var report = await Check(host);

        var replica = report.Entries["switchboard:main/replica0"];
        Assert.Equal(HealthStatus.Unhealthy, replica.Status);
        Assert.Contains("down", replica.Description, StringComparison.Ordinal);
        Assert.Equal("down", replica.Data["health"]);
        Assert.True(replica.Data.ContainsKey("last_checked"));
        Assert.Equal(HealthStatus.Healthy, report.Entries["switchboard:main"].Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
    }

    [Fact]
    public async Task Check_WithoutReplicas_AddsNoReplicaEntry()
    {
        await using var host = Create();

        var report = await Check(host);

        Assert.Equal(["switchboard:main"], report.Entries.Keys);
    }
}
