using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Extensions.Hosting.Tests.Support;

namespace Switchboard.Extensions.Hosting.Tests;

public sealed class SwitchboardHostedServiceTests
{
    private static Dictionary<string, string?> Sqlite(string name, int poolSize = 2) => new()
    {
        [$"Switchboard:Connections:{name}:driver"] = "sqlite",
        [$"Switchboard:Connections:{name}:database"] = "{folder}/" + name + ".db",
        [$"Switchboard:Connections:{name}:pool_size"] = poolSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public async Task Start_InitializeOnStart_OpensOneConnectionPerPoolOnlyWhenAsked(bool initialize, int expectedOpen)
    {
        await using var host = HostFixture.Create(Sqlite("primary"), o => o.InitializeOnStart = initialize);

        await host.Host.StartAsync(TestContext.Current.CancellationToken);

        Assert.Equal(expectedOpen, host.Registry.GetConnection("primary").Statistics.Opened);
    }

    [Fact]
    public async Task Start_InitializeOnStartWithAnUnreachableServer_FailsTheStartNamingTheConnection()
    {
        const string Password = "Pw-1f2e3d";
        await using var host = HostFixture.Create(
            new Dictionary<string, string?>
            {
                ["Switchboard:Connections:gone:driver"] = "postgresql",
                ["Switchboard:Connections:gone:host"] = "127.0.0.1",
                ["Switchboard:Connections:gone:port"] = "1",
                ["Switchboard:Connections:gone:database"] = "app",
                ["Switchboard:Connections:gone:username"] = "app",
                ["Switchboard:Connections:gone:password"] = Password,
                ["Switchboard:Connections:gone:connect_timeout"] = "5",
            },
            o => o.InitializeOnStart = true);

        var error = await Assert.ThrowsAsync<ConnectionException>(() => host.Host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal("gone", error.ConnectionName);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Stop_StatementInUse_FinishesWithinTheGracePeriodThenThePoolIsDisposed(bool async)
    {
        await using var host = HostFixture.Create(Sqlite("primary"), o => o.ShutdownGracePeriod = TimeSpan.FromSeconds(30));
        await host.Host.StartAsync(TestContext.Current.CancellationToken);
        var connection = host.Registry.GetConnection("primary");
        connection.Execute("CREATE TABLE t (v INTEGER)");
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var work = Task.Run(async () =>
        {
            if (async)
            {
                await connection.TransactionAsync(async () =>
                {
                    await connection.ExecuteAsync("INSERT INTO t VALUES (1)");
                    holding.SetResult();
                    await release.Task;
                    await connection.ExecuteAsync("INSERT INTO t VALUES (2)");
                });
            }
            else
            {
                connection.Transaction(() =>
                {
                    connection.Execute("INSERT INTO t VALUES (1)");
                    holding.SetResult();
                    release.Task.GetAwaiter().GetResult();
                    connection.Execute("INSERT INTO t VALUES (2)");
                });
            }
        });
        await holding.Task;

        var stopping = host.Host.StopAsync(TestContext.Current.CancellationToken);
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.False(stopping.IsCompleted, "Stop must wait for the connection in use.");
        release.SetResult();
        await work;
        await stopping;

        Assert.False(host.Registry.IsConfigured("primary"));
        var check = host.Registry.Configure("check", new Dictionary<string, object?> { ["driver"] = "sqlite", ["database"] = Path.Combine(host.Folder, "primary.db") });
        Assert.Equal(2, check.Scalar<long>("SELECT COUNT(*) FROM t"));
    }

    [Fact]
    public async Task Stop_AllPoolsDrainTogether_InOneGracePeriod()
    {
        var clock = new FakeTimeProvider();
        var settings = Sqlite("a");
        foreach (var pair in Sqlite("b"))
        {
            settings[pair.Key] = pair.Value;
        }

        var grace = TimeSpan.FromSeconds(10);
        await using var host = HostFixture.Create(settings, o => o.ShutdownGracePeriod = grace, s => s.AddSingleton<TimeProvider>(clock));
        await host.Host.StartAsync(TestContext.Current.CancellationToken);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new List<Task>();
        foreach (var name in new[] { "a", "b" })
        {
            var connection = host.Registry.GetConnection(name);
            var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            held.Add(connection.TransactionAsync(async () =>
            {
                await connection.ExecuteAsync("SELECT 1");
                holding.SetResult();
                await release.Task;
            }));
            await holding.Task;
        }

        var service = host.Services.GetServices<IHostedService>().Single();
        var stopping = service.StopAsync(TestContext.Current.CancellationToken);
        Assert.False(stopping.IsCompleted, "Stop must wait for the connections in use.");

        // One grace period on the host's clock ends both: draining one pool after the other would need two.
        clock.Advance(grace);
        await stopping.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        release.SetResult();
        await Task.WhenAll(held.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

        Assert.Empty(host.Registry.Names);
    }
}
