using System.ComponentModel.DataAnnotations.Schema;
using Switchboard.Tests.Support;

namespace Switchboard.IntegrationTests.Fleets;

[Connection("orders")]
[Table("fleet_orders")]
public class FleetOrder : ActiveRecord<FleetOrder>
{
    [Column("id")]
    public long Id { get; set; }

    [Column("region")]
    public string Region { get; set; } = "";

    [Column("total")]
    public decimal Total { get; set; }
}

/// <summary>A sharded connection whose shards run on different engines: SQLite for "eu", PostgreSQL for "us".</summary>
public sealed class ShardTests : IAsyncLifetime
{
    private readonly string _unique = IntegrationSupport.Unique();
    private readonly string _folder = Directory.CreateTempSubdirectory("switchboard-shards").FullName;
    private readonly ConnectionRegistry _admin = new();
    private readonly ConnectionRegistry _registry = new();
    private string _database = "";

    public async ValueTask InitializeAsync()
    {
        var server = ConnectionConfig.Parse(TestServers.Require(TestServers.PostgresVariable));
        _admin.Configure("admin", server);
        _database = "shard_us_" + _unique;
        await _admin.GetConnection("admin").ExecuteAsync($"CREATE DATABASE {_database}");
        server.Database = _database;

        _registry.ConfigureShards("orders", new Dictionary<string, object>
        {
            ["eu"] = new Dictionary<string, object?> { ["driver"] = "sqlite", ["database"] = Path.Combine(_folder, "eu.db") },
            ["us"] = server,
        });
        await _registry.GetConnection("orders:eu").ExecuteAsync("CREATE TABLE fleet_orders (id INTEGER PRIMARY KEY AUTOINCREMENT, region TEXT NOT NULL, total NUMERIC(12,2) NOT NULL)");
        await _registry.GetConnection("orders:us").ExecuteAsync("CREATE TABLE fleet_orders (id bigserial PRIMARY KEY, region text NOT NULL, total numeric(12,2) NOT NULL)");
    }

    public async ValueTask DisposeAsync()
    {
        await _registry.DisposeAllAsync();
        if (_database.Length > 0)
        {
            await _admin.GetConnection("admin").ExecuteAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
        }

        await _admin.DisposeAllAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void AShardedModelWithoutAShard_IsRefused_NamingTheConnectionAndBothWays()
    {
        using var activation = _registry.Activate(); // models use this registry in this flow
        var error = Assert.Throws<ConfigurationException>(() => FleetOrder.All());

        Assert.Equal("orders", error.ConnectionName);
        Assert.Contains("'orders' is sharded (eu, us)", error.Message, StringComparison.Ordinal);
        Assert.Contains("UsingShard(\"orders\", shard)", error.Message, StringComparison.Ordinal);
        Assert.Contains("OnShard(shard)", error.Message, StringComparison.Ordinal);
        Assert.Throws<ConfigurationException>(() => new FleetOrder { Region = "eu", Total = 1 }.Save());
        Assert.Throws<ConfigurationException>(() => _registry.GetConnection("orders"));
        Assert.Equal(0, _registry.GetConnection("orders:eu").Scalar<long>("SELECT COUNT(*) FROM fleet_orders"));
        Assert.Equal(0, _registry.GetConnection("orders:us").Scalar<long>("SELECT COUNT(*) FROM fleet_orders"));
    }

    [Fact]
    public async Task UsingShardAndOnShard_WriteAndReadEachShardOnItsOwnEngine()
    {
        using var activation = _registry.Activate(); // models use this registry in this flow
        using (ConnectionRegistryShardScope("eu"))
        {
            new FleetOrder { Region = "eu", Total = 10.5m }.Save();
            new FleetOrder { Region = "eu", Total = 20m }.Save();
            Assert.Equal("sqlite", FleetOrder.GetConnection().Driver);
        }

        using (ConnectionRegistryShardScope("us"))
        {
            await new FleetOrder { Region = "us", Total = 7m }.SaveAsync(TestContext.Current.CancellationToken);
            Assert.Equal("postgresql", FleetOrder.GetConnection().Driver);
        }

        Assert.Equal(["eu", "eu"], FleetOrder.OnShard("eu").All().Select(o => o.Region));
        Assert.Equal(["us"], FleetOrder.OnShard("us").All().Select(o => o.Region));

        // Loaded from a shard, saved back to it.
        var order = FleetOrder.OnShard("us").First();
        order.Total = 8m;
        order.Save();
        Assert.Equal(8m, _registry.GetConnection("orders:us").Scalar<decimal>("SELECT total FROM fleet_orders"));

        // OnShard wins over the scope, for one query.
        using (ConnectionRegistryShardScope("eu"))
        {
            Assert.Equal(1, FleetOrder.OnShard("us").Count());
            Assert.Equal(2, FleetOrder.Count());
        }

        var error = Assert.Throws<ConfigurationException>(() => FleetOrder.OnShard("asia"));
        Assert.Contains("no shard 'asia'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForEachShardAsync_ReturnsEveryShardsResult_AndAFailureCarriesEveryOutcome()
    {
        await _registry.GetConnection("orders:eu").ExecuteAsync("INSERT INTO fleet_orders (region, total) VALUES ('eu', 1), ('eu', 2)");
        await _registry.GetConnection("orders:us").ExecuteAsync("INSERT INTO fleet_orders (region, total) VALUES ('us', 3)");

        var counts = await _registry.ForEachShardAsync("orders", (connection, token) => connection.ScalarAsync<long>("SELECT COUNT(*) FROM fleet_orders", cancellationToken: token));
        Assert.Equal(2, counts["eu"]);
        Assert.Equal(1, counts["us"]);
        Assert.Equal(2, counts.Count);

        var error = await Assert.ThrowsAsync<ShardFanOutException>(() => _registry.ForEachShardAsync("orders", (connection, token) =>
            connection.ScalarAsync<long>(connection.Driver == "postgresql" ? "SELECT COUNT(*) FROM no_such_table" : "SELECT COUNT(*) FROM fleet_orders", cancellationToken: token)));
        Assert.Equal(2L, error.Results["eu"]);
        Assert.Single(error.Results);
        Assert.IsAssignableFrom<SwitchboardException>(error.Failures["us"]);
        Assert.Single(error.Failures);
        Assert.Contains("[us]", error.Message, StringComparison.Ordinal);
    }

    private IDisposable ConnectionRegistryShardScope(string shard) => _registry.UsingShard("orders", shard);
}
