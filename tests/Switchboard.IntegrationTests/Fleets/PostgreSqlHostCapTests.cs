using System.Collections.Concurrent;
using Switchboard.Tests.Support;

namespace Switchboard.IntegrationTests.Fleets;

/// <summary>
/// 100 PostgreSQL databases on one server behind MaxConnectionsPerHost = 12, with 32 workers: the server never shows more
/// than 12 sessions of them (sampled from pg_stat_activity on a separate admin connection), and no call fails.
/// </summary>
public sealed class PostgreSqlHostCapTests : IAsyncLifetime
{
    private const int Databases = 100;
    private const int Cap = 12;
    private const int Workers = 32;
    private const int OperationsPerWorker = 40;

    private readonly string _unique = IntegrationSupport.Unique();
    private readonly ConnectionRegistry _admin = new();
    private readonly ConnectionRegistry _registry = new();
    private readonly List<string> _created = [];
    private ConnectionConfig _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = ConnectionConfig.Parse(TestServers.Require(TestServers.PostgresVariable));
        _admin.Configure("admin", new ConnectionConfig
        {
            Driver = _server.Driver, Host = _server.Host, Port = _server.Port, Database = _server.Database,
            Username = _server.Username, Password = _server.Password, PoolSize = 1,
        });
        for (var i = 0; i < Databases; i++)
        {
            var name = $"fleet_{_unique}_{i}";
            await _admin.GetConnection("admin").ExecuteAsync($"CREATE DATABASE {name}");
            _created.Add(name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _registry.DisposeAllAsync();
        foreach (var name in _created)
        {
            await _admin.GetConnection("admin").ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }

        await _admin.DisposeAllAsync();
    }

    [Fact]
    public async Task HundredDatabases_CapTwelve_ThirtyTwoWorkers_NeverMoreThanTwelveSessions_AndNoCallFails()
    {
        var applicationName = "fleet-" + _unique;
        _registry.MaxConnectionsPerHost = Cap;
        _registry.ConfigureResolver("db:", name => new ConnectionConfig
        {
            Driver = _server.Driver, Host = _server.Host, Port = _server.Port, Database = $"fleet_{_unique}_{name[3..]}",
            Username = _server.Username, Password = _server.Password, ApplicationName = applicationName,
            PoolSize = 4, PoolTimeout = TimeSpan.FromSeconds(120),
        });

        var monitor = _admin.GetConnection("admin");
        var peak = 0L;
        var samples = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var sessions = await monitor.ScalarAsync<long>(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = @app AND backend_type = 'client backend'",
                    new { app = applicationName });
                peak = Math.Max(peak, sessions);
                samples++;
                await Task.Delay(5);
            }
        });

        var errors = new ConcurrentQueue<string>();
        var expected = new ConcurrentDictionary<int, int>();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < OperationsPerWorker; i++)
            {
                var database = ((i * Workers) + worker) * 3 % Databases;
                try
                {
                    var connection = _registry.GetConnection($"db:{database}");
                    await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS rows (db int NOT NULL, worker int NOT NULL)");
                    await connection.ExecuteAsync("INSERT INTO rows VALUES (@database, @worker)", new { database, worker });
                    expected.AddOrUpdate(database, 1, (_, n) => n + 1);
                    await connection.ScalarAsync<long>("SELECT COUNT(*) FROM rows, pg_sleep(0.005)");
                }
                catch (Exception exception)
                {
                    errors.Enqueue($"db {database}: {exception.GetType().Name}: {exception.Message}");
                }
            }
        })));
        await stop.CancelAsync();
        await sampler;

        TestContext.Current.TestOutputHelper?.WriteLine($"FLEET postgresql databases={Databases} cap={Cap} peak-sessions={peak} samples={samples}");
        Assert.Empty(errors);
        Assert.InRange(peak, 1, Cap);
        Assert.True(samples >= 20, $"only {samples} samples of pg_stat_activity were taken");
        foreach (var (database, count) in expected)
        {
            Assert.Equal(count, await _registry.GetConnection($"db:{database}").ScalarAsync<long>("SELECT COUNT(*) FROM rows"));
        }
    }
}
