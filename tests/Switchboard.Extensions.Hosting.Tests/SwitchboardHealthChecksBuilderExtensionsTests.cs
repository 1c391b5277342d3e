using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Switchboard.Extensions.Hosting.Tests.Support;

namespace Switchboard.Extensions.Hosting.Tests;

using HealthStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus;

public sealed class SwitchboardHealthChecksBuilderExtensionsTests
{
    private static Dictionary<string, string?> Sqlite(string name, int poolSize = 2) => new()
    {
        [$"Switchboard:Connections:{name}:driver"] = "sqlite",
        [$"Switchboard:Connections:{name}:database"] = "{folder}/" + name + ".db",
        [$"Switchboard:Connections:{name}:pool_size"] = poolSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static HostFixture Create(Dictionary<string, string?> settings, Action<SwitchboardHealthCheckOptions>? options = null) =>
        HostFixture.Create(settings, services: s => s.AddHealthChecks().AddSwitchboard(options));

    private static Task<HealthReport> Check(HostFixture host) =>
        host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

    [Fact]
    public async Task Check_SqliteConnections_OneHealthyEntryEach_WithTagsLatencyAndPoolStatistics()
    {
        await using var host = Create(Sqlite("a").Concat(Sqlite("b", 3)).ToDictionary(p => p.Key, p => p.Value));

        var report = await Check(host);

        Assert.Equal(["switchboard:a", "switchboard:b"], report.Entries.Keys.Order(StringComparer.Ordinal));
        var b = report.Entries["switchboard:b"];
        Assert.Equal(HealthStatus.Healthy, b.Status);
        Assert.Equal(["db", "sqlite", "switchboard"], b.Tags.Order(StringComparer.Ordinal));
        Assert.Equal(3, b.Data["pool_size"]);
        Assert.Equal("sqlite", b.Data["driver"]);
        Assert.IsType<double>(b.Data["latency_ms"]);
        Assert.True((double)b.Data["latency_ms"] > 0);
        Assert.Equal(1, b.Data["idle"]);
        Assert.Equal(0, b.Data["in_use"]);
    }

    [Fact]
    public async Task Check_EachCheckPingsAgain_NeverRepeatingAnEarlierRound()
    {
        // SQLite's pings complete synchronously, so a round finishes before the probe even stores it.
        await using var host = Create(Sqlite("busy", poolSize: 1));
        Assert.Equal(HealthStatus.Healthy, (await Check(host)).Entries["switchboard:busy"].Status);

        using var transaction = host.Registry.GetConnection("busy").BeginTransaction();
        Assert.Equal(1L, transaction.Scalar<long>("SELECT 1")); // holds the pool's one connection from here on
        var busy = await Check(host);

        Assert.Equal(HealthStatus.Degraded, busy.Entries["switchboard:busy"].Status);
        Assert.Equal(1, busy.Entries["switchboard:busy"].Data["in_use"]);
        transaction.Commit();
        Assert.Equal(HealthStatus.Healthy, (await Check(host)).Entries["switchboard:busy"].Status);
    }

    [Fact]
    public async Task Check_AConnectionRemovedByAReload_IsHealthy_AndSaysItWasRemoved()
    {
        await using var host = Create(Sqlite("a").Concat(Sqlite("b")).ToDictionary(p => p.Key, p => p.Value));
        await host.Host.StartAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Healthy, (await Check(host)).Status);

        host.Source.RemoveSection("Switchboard:Connections:b");
        var report = await Check(host);

        // A failing entry would take a healthy instance out of service until it restarts, for a change made on purpose.
        Assert.Equal(HealthStatus.Healthy, report.Status);
        var b = report.Entries["switchboard:b"];
        Assert.Contains("no longer configured", b.Description, StringComparison.Ordinal);
        Assert.Equal(true, b.Data["removed"]);
        Assert.Equal("sqlite", report.Entries["switchboard:a"].Data["driver"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Check_EveryConnectionInUse_IsDegraded_WithoutWaitingForThePool(bool async)
    {
        await using var host = Create(Sqlite("busy", poolSize: 1));
        var connection = host.Registry.GetConnection("busy");
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = Task.Run(async () =>
        {
            if (async)
            {
                await connection.TransactionAsync(async () =>
                {
                    await connection.ExecuteAsync("SELECT 1");
                    holding.SetResult();
                    await release.Task;
                });
            }
            else
            {
                connection.Transaction(() =>
                {
                    connection.Execute("SELECT 1");
                    holding.SetResult();
                    release.Task.GetAwaiter().GetResult();
                });
            }
        });
        await holding.Task;

        var report = await Check(host);
        release.SetResult();
        await held;

        var entry = report.Entries["switchboard:busy"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal(1, entry.Data["in_use"]);
        Assert.Contains("in use", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_UnreachableServer_ReportsTheFailureStatus_WithoutThePassword()
    {
        const string Password = "Pw-9a8b7c";
        await using var host = Create(
            new Dictionary<string, string?>
            {
                ["Switchboard:Connections:gone:driver"] = "postgresql",
                ["Switchboard:Connections:gone:host"] = "127.0.0.1",
                ["Switchboard:Connections:gone:port"] = "1",
                ["Switchboard:Connections:gone:database"] = "app",
                ["Switchboard:Connections:gone:username"] = "app",
                ["Switchboard:Connections:gone:password"] = Password,
            },
            o =>
            {
                o.FailureStatus = HealthStatus.Degraded;
                o.Tags.Add("critical");
                o.NamePrefix = "db-";
            });

        var report = await Check(host);

        var entry = report.Entries["db-gone"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("critical", entry.Tags);
        Assert.Contains("postgresql", entry.Tags);
        Assert.Contains("gone", entry.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_WithVerifyModels_IsDegradedWhileAModelDoesNotFit_AndHealthyOnceItDoes()
    {
        await using var host = Create(Sqlite("a"), o => o.VerifyModels.Add(typeof(HealthWidget)));
        var connection = host.Services.GetRequiredService<ConnectionRegistry>().GetConnection("a");
        connection.Execute("CREATE TABLE health_widget (id INTEGER PRIMARY KEY, label TEXT NOT NULL)");

        var drifted = (await Check(host)).Entries["switchboard:a"];
        connection.Execute("ALTER TABLE health_widget ADD COLUMN name TEXT NOT NULL DEFAULT ''");
        var fixedEntry = (await Check(host)).Entries["switchboard:a"];

        Assert.Equal(HealthStatus.Degraded, drifted.Status);
        Assert.Contains("HealthWidget.Name", drifted.Description, StringComparison.Ordinal);
        Assert.Equal(1, drifted.Data["schema_errors"]);
        Assert.Equal(HealthStatus.Healthy, fixedEntry.Status);
        Assert.Equal(0, fixedEntry.Data["schema_errors"]);
    }

    [Fact]
    public void VerifyModels_WithATypeThatIsNotAModel_IsRejectedWhenAdded()
    {
        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddHealthChecks().AddSwitchboard(o => o.VerifyModels.Add(typeof(string))));

        Assert.Contains("System.String", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TestServers.PostgresVariable, "postgresql")]
    [InlineData(TestServers.MySqlVariable, "mysql")]
    public async Task Check_LiveServer_IsHealthy_WithItsDriverTag(string variable, string driver)
    {
        var url = TestServers.Require(variable);
        await using var host = Create(new Dictionary<string, string?> { ["Switchboard:Connections:live"] = url });

        var report = await Check(host);

        var entry = report.Entries["switchboard:live"];
        Assert.True(entry.Status == HealthStatus.Healthy, entry.Description);
        Assert.Contains(driver, entry.Tags);
        Assert.Equal(1, entry.Data["open"]);
        Assert.Equal(1L, entry.Data["opened_total"]);
    }
}

/// <summary>A model the health check verifies.</summary>
[System.ComponentModel.DataAnnotations.Schema.Table("health_widget")]
public class HealthWidget : ActiveRecord<HealthWidget>
{
    public long Id { get; set; }

    public string Name { get; set; } = "";
}
