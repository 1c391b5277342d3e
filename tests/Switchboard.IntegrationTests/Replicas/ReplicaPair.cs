using Switchboard.Tests.Support;

namespace Switchboard.IntegrationTests.Replicas;

/// <summary>
/// One test's primary and replica on the live servers: a registry of its own (so that no other test's writes count as
/// this flow's), a schema or table prefix of its own, and a direct connection to each server for setup and checks.
/// </summary>
internal sealed class ReplicaPair : IAsyncDisposable
{
    private ReplicaPair(ConnectionRegistry registry, Connection routed, Connection primaryDirect, Connection replicaDirect, string table, bool postgres)
    {
        Registry = registry;
        Routed = routed;
        PrimaryDirect = primaryDirect;
        ReplicaDirect = replicaDirect;
        Table = table;
        IsPostgres = postgres;
    }

    public ConnectionRegistry Registry { get; }

    /// <summary>The connection with the replica: what the tests route through.</summary>
    public Connection Routed { get; }

    public Connection PrimaryDirect { get; }

    public Connection ReplicaDirect { get; }

    /// <summary>A table of this test's own, <c>(id, v)</c>, already on the replica.</summary>
    public string Table { get; }

    public bool IsPostgres { get; }

    /// <summary>The SQL that says which server answered: true on the replica.</summary>
    public string OnReplicaSql => IsPostgres ? "SELECT pg_is_in_recovery()" : "SELECT @@server_id = 2";

    public static async Task<ReplicaPair> PostgresAsync(Dictionary<string, object?>? extra = null)
    {
        var primaryUrl = TestServers.Require(TestServers.PostgresVariable);
        var standbyUrl = TestServers.Require(TestServers.PostgresStandbyVariable);
        return await CreateAsync(primaryUrl, standbyUrl, extra, postgres: true);
    }

    public static async Task<ReplicaPair> MariaDbAsync(Dictionary<string, object?>? extra = null)
    {
        var primaryUrl = TestServers.Require(TestServers.MySqlPrimaryVariable);
        var replicaUrl = TestServers.Require(TestServers.MySqlReplicaVariable);
        return await CreateAsync(primaryUrl, replicaUrl, extra, postgres: false);
    }

    /// <summary>Whether the routed connection's read ran on the replica.</summary>
    public bool ReadRanOnReplica() => Routed.ExecuteRaw(OnReplicaSql).Scalar<bool>();

    /// <summary>Waits for the next check of the connection's replicas (every replica_check_interval, 0.25 s here).</summary>
    public static async Task WaitForCheckAsync(Connection connection)
    {
        var before = connection.Replicas[0].LastChecked;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (connection.Replicas[0].LastChecked == before)
        {
            Assert.True(DateTime.UtcNow < deadline, "The replicas were not checked within 10 s.");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await PrimaryDirect.ExecuteAsync($"DROP TABLE IF EXISTS {Table}");
        }
        finally
        {
            await Registry.DisposeAllAsync();
        }
    }

    private static async Task<ReplicaPair> CreateAsync(string primaryUrl, string replicaUrl, Dictionary<string, object?>? extra, bool postgres)
    {
        var registry = new ConnectionRegistry();
        var primary = ConnectionConfig.Parse(primaryUrl);
        var replica = ConnectionConfig.Parse(replicaUrl);
        var settings = new Dictionary<string, object?>
        {
            ["driver"] = primary.Driver,
            ["host"] = primary.Host,
            ["port"] = primary.Port,
            ["database"] = primary.Database,
            ["username"] = primary.Username,
            ["password"] = primary.Password,
            ["pool_size"] = 8,
            ["replica_check_interval"] = 0.25,
            ["replicas"] = new object[] { new Dictionary<string, object?> { ["host"] = replica.Host, ["port"] = replica.Port } },
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        var routed = registry.Configure("routed", settings);
        var primaryDirect = registry.Configure("primary_direct", primaryUrl);
        var replicaDirect = registry.Configure("replica_direct", replicaUrl);
        var table = "rr_" + Guid.NewGuid().ToString("N")[..12];
        await primaryDirect.ExecuteAsync(postgres
            ? $"CREATE TABLE {table} (id serial PRIMARY KEY, v int NOT NULL)"
            : $"CREATE TABLE {table} (id int AUTO_INCREMENT PRIMARY KEY, v int NOT NULL)");
        await primaryDirect.ExecuteAsync($"INSERT INTO {table} (v) VALUES (0)");

        // Ready once the replica has the table and its row.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                if (await replicaDirect.ScalarAsync<long>($"SELECT COUNT(*) FROM {table}") == 1)
                {
                    break;
                }
            }
            catch (SwitchboardException) when (DateTime.UtcNow < deadline)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, "The replica did not receive the test's table within 30 s.");
            await Task.Delay(50);
        }

        return new ReplicaPair(registry, routed, primaryDirect, replicaDirect, table, postgres);
    }
}
