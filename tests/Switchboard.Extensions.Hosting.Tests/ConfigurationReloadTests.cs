using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Extensions.Hosting.Tests.Support;

namespace Switchboard.Extensions.Hosting.Tests;

public sealed class ConfigurationReloadTests
{
    private static Dictionary<string, string?> Sqlite(string name, int poolSize) => new()
    {
        [$"Switchboard:Connections:{name}:driver"] = "sqlite",
        [$"Switchboard:Connections:{name}:database"] = "{folder}/" + name + ".db",
        [$"Switchboard:Connections:{name}:pool_size"] = poolSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static Dictionary<string, string?> Merge(params Dictionary<string, string?>[] parts) =>
        parts.SelectMany(p => p).ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public async Task Reload_ChangedConnection_IsReplaced_AndTheOthersAreKept()
    {
        await using var host = HostFixture.Create(Merge(Sqlite("a", 2), Sqlite("b", 2)));
        await host.Host.StartAsync(TestContext.Current.CancellationToken);
        var a = host.Registry.GetConnection("a");
        var b = host.Registry.GetConnection("b");

        host.Source.Change(("Switchboard:Connections:a:pool_size", "5"));

        Assert.NotSame(a, host.Registry.GetConnection("a"));
        Assert.Equal(5, host.Registry.GetConnection("a").Config.PoolSize);
        Assert.Same(b, host.Registry.GetConnection("b"));
    }

    [Fact]
    public async Task Reload_AfterTheHostStopped_ConfiguresNothing()
    {
        await using var host = HostFixture.Create(Sqlite("a", 2));
        await host.Host.StartAsync(TestContext.Current.CancellationToken);
        await host.Host.StopAsync(TestContext.Current.CancellationToken);

        host.Source.Change(("Switchboard:Connections:a:pool_size", "5"));

        Assert.Empty(host.Registry.Names);
    }

    [Fact]
    public async Task Reload_InvalidValue_KeepsTheOldConnection_AndLogsThePath()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = HostFixture.Create(Sqlite("a", 2), services: s => s.AddLogging(l => l.AddProvider(logs)));
        await host.Host.StartAsync(TestContext.Current.CancellationToken);
        var a = host.Registry.GetConnection("a");

        host.Source.Change(("Switchboard:Connections:a:pool_size", "0"));

        Assert.Same(a, host.Registry.GetConnection("a"));
        Assert.Equal(1, a.Scalar<long>("SELECT 1"));
        Assert.Contains(logs.Messages, m => m.Contains("'Switchboard:Connections:a:pool_size'", StringComparison.Ordinal));

        // Fixing the value later applies it: the rejected value was not remembered as applied.
        host.Source.Change(("Switchboard:Connections:a:pool_size", "3"));
        Assert.Equal(3, host.Registry.GetConnection("a").Config.PoolSize);
    }

    [Fact]
    public async Task Reload_AddedAndRemovedConnections_AreConfiguredAndDisposed()
    {
        await using var host = HostFixture.Create(Sqlite("a", 2));
        await host.Host.StartAsync(TestContext.Current.CancellationToken);

        var a = host.Registry.GetConnection("a");
        host.Source.Change([.. Sqlite("b", 2).Select(p => (p.Key, p.Value?.Replace("{folder}", host.Folder, StringComparison.Ordinal)))]);
        host.Source.RemoveSection("Switchboard:Connections:a");

        Assert.Equal(["b"], host.Registry.Names);
        Assert.Equal(1, host.Registry.GetConnection("b").Scalar<long>("SELECT 1"));
        Assert.Throws<ConnectionException>(() => a.Scalar<long>("SELECT 1"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reload_TransactionInFlight_CommitsOnTheOldPool_WhileNewStatementsUseTheNewOne(bool async)
    {
        await using var host = HostFixture.Create(Sqlite("primary", 2));
        await host.Host.StartAsync(TestContext.Current.CancellationToken);
        var old = host.Registry.GetConnection("primary");
        old.Execute("CREATE TABLE items (v INTEGER NOT NULL)");
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = Task.Run(async () =>
        {
            if (async)
            {
                await old.TransactionAsync(async () =>
                {
                    await old.ExecuteAsync("INSERT INTO items VALUES (1)");
                    holding.SetResult();
                    await release.Task;
                    await old.ExecuteAsync("INSERT INTO items VALUES (2)");
                });
            }
            else
            {
                old.Transaction(() =>
                {
                    old.Execute("INSERT INTO items VALUES (1)");
                    holding.SetResult();
                    release.Task.GetAwaiter().GetResult();
                    old.Execute("INSERT INTO items VALUES (2)");
                });
            }
        });
        await holding.Task;

        host.Source.Change(("Switchboard:Connections:primary:pool_size", "3"));
        var replacement = host.Registry.GetConnection("primary");
        Assert.NotSame(old, replacement);
        Assert.Equal(0, replacement.Scalar<long>("SELECT COUNT(*) FROM items"));
        release.SetResult();
        await inFlight;

        Assert.Equal(2, replacement.Scalar<long>("SELECT COUNT(*) FROM items"));
        Assert.Equal(0, old.Statistics.InUse);
        Assert.Equal(0, old.Statistics.Size);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reload_UnderLoad_NoStatementFails_AndEveryWriteIsStored(bool async)
    {
        // 8 workers over a pool of 4, so that some always wait for a connection when the reload lands.
        await using var host = HostFixture.Create(Sqlite("primary", 4));
        await host.Host.StartAsync(TestContext.Current.CancellationToken);
        host.Registry.GetConnection("primary").Execute("CREATE TABLE hits (worker INTEGER NOT NULL, n INTEGER NOT NULL)");
        const int Workers = 8;
        const int Before = 50; // writes each worker makes before the reload may land
        const int After = 50;  // writes each worker makes after it landed, so the load runs across it however slow the machine
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var progress = 0;
        var reloaded = 0;

        async Task Work(int worker)
        {
            var afterReload = 0;
            for (var n = 0; n < Before || Volatile.Read(ref reloaded) == 0 || afterReload < After; n++)
            {
                if (Volatile.Read(ref reloaded) == 1)
                {
                    afterReload++;
                }

                try
                {
                    // Resolved by name for every statement, as models are.
                    var connection = host.Registry.GetConnection("primary");
                    if (async)
                    {
                        await connection.ExecuteAsync("INSERT INTO hits VALUES (@w, @n)", new { w = worker, n });
                    }
                    else
                    {
                        connection.Execute("INSERT INTO hits VALUES (@w, @n)", new { w = worker, n });
                    }

                    Interlocked.Increment(ref progress);
                }
                catch (Exception exception)
                {
                    failures.Enqueue(exception);
                }
            }
        }

        var load = Enumerable.Range(0, Workers).Select(w => Task.Run(() => Work(w))).ToArray();
        while (Volatile.Read(ref progress) < Workers * Before / 2)
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        host.Source.Change(("Switchboard:Connections:primary:pool_size", "6"));
        Volatile.Write(ref reloaded, 1);
        await Task.WhenAll(load);

        Assert.Empty(failures.Select(f => f.GetType().Name + ": " + f.Message).Distinct());
        Assert.Equal(6, host.Registry.GetConnection("primary").Config.PoolSize);
        Assert.Equal(Volatile.Read(ref progress), host.Registry.GetConnection("primary").Scalar<long>("SELECT COUNT(*) FROM hits"));
    }
}
