using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Guide;

/// <summary>
/// The connection-configuration guide's examples (named connections, models bound to them, switching, raw SQL,
/// transactions, read/write splitting, events) through the static ConnectionManager. Its PostgreSQL and MySQL
/// connections run on SQLite files here; the server-engine suites run the same shapes against real servers.
/// </summary>
[Collection(nameof(ConnectionManagerCollection))]
public sealed class GuideExampleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("switchboard-guide").FullName;

    public GuideExampleTests() => ConnectionManager.DisposeAll();

    public void Dispose()
    {
        ConnectionManager.DisposeAll();
        Directory.Delete(_folder, recursive: true);
    }

    private string PathOf(string file) => Path.Combine(_folder, file);

    private Dictionary<string, object?> Sqlite(string file) => new() { ["driver"] = "sqlite", ["database"] = PathOf(file) };

    private static void SeedUsers(string connectionName, params (string Name, string Status)[] users)
    {
        var connection = ConnectionManager.GetConnection(connectionName);
        connection.Execute(Schema.Users);
        foreach (var (name, status) in users)
        {
            connection.Execute("INSERT INTO users (name, status) VALUES (@name, @status)", new { name, status });
        }
    }

    [Fact]
    public void ConfiguringMultipleDatabaseConnections()
    {
        var primaryConfig = new Dictionary<string, object?> { ["driver"] = "sqlite", ["database"] = PathOf("main.db") };
        var secondaryConfig = Sqlite("analytics.db");

        ConnectionManager.Configure("primary", primaryConfig);
        ConnectionManager.Configure("secondary", secondaryConfig);

        Assert.Equal(["primary", "secondary"], ConnectionManager.Names);
        Assert.Equal("sqlite", ConnectionManager.GetConnection("primary").Driver);
        Assert.NotEqual(ConnectionManager.GetConnection("primary").Config.Database, ConnectionManager.GetConnection("secondary").Config.Database);
    }

    [Fact]
    public void ConnectionConfigurationOptions_CommonOptionsForAllDatabaseTypes()
    {
        ConnectionManager.Configure("primary", new Dictionary<string, object?>
        {
            ["driver"] = "sqlite",
            ["database"] = PathOf("main.db"),
            ["pool_size"] = 3,
            ["pool_timeout"] = 5,
            ["pool_recycle"] = 600,
            ["echo"] = false,
        });

        var config = ConnectionManager.GetConnection("primary").Config;
        Assert.Equal(3, config.PoolSize);
        Assert.Equal(TimeSpan.FromSeconds(5), config.PoolTimeout);
        Assert.Equal(TimeSpan.FromMinutes(10), config.PoolRecycle);
        Assert.False(config.Echo);
    }

    [Fact]
    public async Task ConnectionPooling()
    {
        var config = Sqlite("myapp.db");
        config["pool_size"] = 10;
        config["pool_timeout"] = 30;
        config["pool_recycle"] = 1800;

        ConnectionManager.Configure("main", config);

        // Ten holders get ten physical connections; an eleventh caller waits for one of them instead of opening more.
        var main = ConnectionManager.GetConnection("main");
        var held = new List<Switchboard.Pooling.PooledConnection>();
        for (var i = 0; i < 10; i++)
        {
            held.Add(await main.Pool.RentAsync(async: true, TestContext.Current.CancellationToken));
        }

        Assert.Equal(10, held.Select(c => c.Id).Distinct().Count());
        var eleventh = main.ScalarAsync<long>("SELECT 11", null, TestContext.Current.CancellationToken);
        for (var i = 0; i < 1000 && main.Statistics.Waiting == 0; i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, main.Statistics.Waiting);
        Assert.False(eleventh.IsCompleted);
        held[3].Pool.Return(held[3], held[3].Lease);
        Assert.Equal(11L, await eleventh);
        Assert.Equal(10, main.Statistics.Opened);

        // pool_recycle: each connection is retired 1800 s after it opened, up to 2.5% earlier.
        Assert.All(held, c => Assert.InRange((c.ExpiresAt - c.CreatedAt) / (double)System.Diagnostics.Stopwatch.Frequency, 1755, 1800));
        held.Where((_, i) => i != 3).ToList().ForEach(c => c.Pool.Return(c, c.Lease));
        Assert.Equal(new PoolStatistics(10, 10, 0, 0, 10, 0, 0, 10), main.Statistics);
    }

    [Fact]
    public void SpecifyingTheDatabaseConnectionInModels()
    {
        ConnectionManager.Configure("primary", Sqlite("main.db"));
        ConnectionManager.Configure("secondary", Sqlite("analytics.db"));
        SeedUsers("primary", ("Ann", "active"));
        ConnectionManager.GetConnection("secondary").Execute(Schema.Analytics);

        new AnalyticsData { Metric = "signups", Value = 1 }.Save();

        Assert.Equal("primary", User.GetConnection().Name);
        Assert.Equal("secondary", AnalyticsData.GetConnection().Name);
        Assert.Equal(1, User.Count());
        Assert.Equal(1L, ConnectionManager.GetConnection("secondary").Scalar<long>("SELECT COUNT(*) FROM analytics_data"));
        Assert.Equal(0L, ConnectionManager.GetConnection("primary").Scalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'analytics_data'"));
    }

    [Fact]
    public void SwitchingConnectionsAtRuntime()
    {
        ConnectionManager.Configure("primary", Sqlite("main.db"));
        ConnectionManager.Configure("secondary", Sqlite("secondary.db"));
        SeedUsers("primary", ("on-primary", "active"));
        SeedUsers("secondary", ("on-secondary-1", "active"), ("on-secondary-2", "active"));

        // Using the connection context manager
        List<User> users;
        using (User.UsingConnection("secondary"))
        {
            // All User operations in this block will use the secondary connection
            users = User.All();
        }

        Assert.Equal(["on-secondary-1", "on-secondary-2"], users.Select(u => u.Name));

        // Or using the connection method for a single query
        users = User.Using("secondary").All();
        Assert.Equal(2, users.Count);
        Assert.Equal("on-primary", User.All().Single().Name);
    }

    [Fact]
    public void AccessingConnectionObjectsDirectly()
    {
        ConnectionManager.Configure("primary", Sqlite("main.db"));
        SeedUsers("primary", ("Ann", "active"), ("Bo", "active"), ("Cy", "inactive"));

        // Get a connection by name
        var conn = ConnectionManager.GetConnection("primary");

        // Use the connection for raw SQL execution
        var result = conn.ExecuteRaw("SELECT COUNT(*) FROM users WHERE status = 'active'");

        Assert.Equal(2L, result.Scalar<long>());
    }

    [Fact]
    public void ApplicationLevelConnectionConfiguration()
    {
        var configs = new Dictionary<string, Dictionary<string, object?>>
        {
            ["primary_db"] = Sqlite("primary.db"),
            ["analytics_db"] = Sqlite("analytics.db"),
            ["reporting_db"] = Sqlite("reporting.db"),
        };
        Dictionary<string, object?> LoadConfig(string name) => configs[name];

        void ConfigureDatabaseConnections()
        {
            // Load configuration from environment or config files
            var primaryConfig = LoadConfig("primary_db");
            var analyticsConfig = LoadConfig("analytics_db");
            var reportingConfig = LoadConfig("reporting_db");

            // Configure connections
            ConnectionManager.Configure("primary", primaryConfig);
            ConnectionManager.Configure("analytics", analyticsConfig);
            ConnectionManager.Configure("reporting", reportingConfig);
        }

        // Call this function during application initialization
        ConfigureDatabaseConnections();

        Assert.Equal(["analytics", "primary", "reporting"], ConnectionManager.Names);
        Assert.All(ConnectionManager.Names, name => Assert.Equal(1L, ConnectionManager.GetConnection(name).Scalar<long>("SELECT 1")));
    }

    [Fact]
    public void DynamicConnectionConfiguration()
    {
        ConnectionManager.Configure("primary", Sqlite("main.db"));
        SeedUsers("primary", ("not-a-tenant-user", "active"));
        Dictionary<string, object?> GetTenantDbConfig(string tenantId) => Sqlite($"tenant-{tenantId}.db");

        string ConnectToTenantDatabase(string tenantId)
        {
            // Load tenant-specific configuration
            var tenantConfig = GetTenantDbConfig(tenantId);

            // Configure connection with tenant-specific name
            var connectionName = $"tenant_{tenantId}";
            ConnectionManager.Configure(connectionName, tenantConfig);

            return connectionName;
        }

        // Usage
        var tenantConnection = ConnectToTenantDatabase("tenant123");
        SeedUsers(tenantConnection, ("tenant-user", "active"));
        List<User> tenantUsers;
        using (User.UsingConnection(tenantConnection))
        {
            tenantUsers = User.All();
        }

        Assert.Equal("tenant_tenant123", tenantConnection);
        Assert.Equal("tenant-user", tenantUsers.Single().Name);
    }

    [Fact]
    public void ConnectionLifecycleManagement()
    {
        ConnectionManager.Configure("primary", Sqlite("main.db"));
        ConnectionManager.Configure("secondary", Sqlite("secondary.db"));
        var primary = ConnectionManager.GetConnection("primary");
        var secondary = ConnectionManager.GetConnection("secondary");

        // Explicitly create all configured connections
        ConnectionManager.InitializeAll();
        Assert.Equal(1, primary.Statistics.Idle);
        Assert.Equal(1, secondary.Statistics.Idle);

        // Dispose of a specific connection
        ConnectionManager.Dispose("secondary");
        Assert.Equal(0, secondary.Statistics.Size);
        Assert.Equal(["primary"], ConnectionManager.Names);

        // Dispose of all connections (e.g., during application shutdown)
        ConnectionManager.DisposeAll();
        Assert.Equal(0, primary.Statistics.Size);
        Assert.Empty(ConnectionManager.Names);
    }

    [Fact]
    public void BestPractices_UseEnvironmentVariablesForSensitiveInformation()
    {
        var prefix = "SBSEED" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        Environment.SetEnvironmentVariable(prefix + "_PASSWORD", "from-the-environment");
        try
        {
            string? Env(string name, string? fallback) => Environment.GetEnvironmentVariable(prefix + "_" + name) ?? fallback;
            var config = new Dictionary<string, object?>
            {
                ["driver"] = "postgresql",
                ["host"] = Env("HOST", "localhost"),
                ["port"] = int.Parse(Env("PORT", "5432")!, System.Globalization.CultureInfo.InvariantCulture),
                ["database"] = Env("NAME", "myapp"),
                ["username"] = Env("USER", "user"),
                ["password"] = Env("PASSWORD", ""),
            };

            var parsed = ConnectionConfig.FromDictionary(config);
            Assert.Equal(("localhost", 5432, "myapp", "user", "from-the-environment"), (parsed.Host, parsed.Port, parsed.Database, parsed.Username, parsed.Password));
            Assert.DoesNotContain("from-the-environment", parsed.ToString());

            var fromEnvironment = ConnectionConfig.FromEnvironment(prefix);
            Assert.Equal("from-the-environment", fromEnvironment.Password);
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "_PASSWORD", null);
        }
    }

    [Fact]
    public void BestPractices_ImplementConnectionRetryLogic()
    {
        var flaky = new FakeDriver("flaky-guide") { Refuse = new FakeRefusedException("temporarily unavailable") };
        ConnectionManager.RegisterDriver(flaky);
        ConnectionManager.Configure("primary", new Dictionary<string, object?> { ["driver"] = "flaky-guide", ["database"] = "d" });
        var attempts = 0;

        long PerformCriticalOperation()
        {
            const int maxRetries = 3;
            var retryCount = 0;

            while (true)
            {
                try
                {
                    attempts++;
                    if (attempts == 3)
                    {
                        flaky.Refuse = null;
                    }

                    var conn = ConnectionManager.GetConnection("primary");
                    using var tx = new Transaction(conn);
                    var result = conn.Scalar<long>("SELECT 42");
                    tx.Commit();
                    return result;
                }
                catch (ConnectionException)
                {
                    retryCount++;
                    if (retryCount >= maxRetries)
                    {
                        throw;
                    }

                    Thread.Sleep(10); // Wait before retrying (a real application would wait longer)
                }
            }
        }

        Assert.Equal(42L, PerformCriticalOperation());
        Assert.Equal(3, attempts);
    }

    [Fact]
    public void BestPractices_UseReadWriteSplittingWhenAppropriate()
    {
        var writeConfig = Sqlite("primary-write.db");
        var readConfig = Sqlite("primary-read.db");

        // Configure separate read and write connections
        ConnectionManager.Configure("primary_write", writeConfig);
        ConnectionManager.Configure("primary_read", readConfig);
        foreach (var name in new[] { "primary_write", "primary_read" })
        {
            ConnectionManager.GetConnection(name).Execute(Schema.Users);
        }

        new ReadWriteUser { Name = "written", Status = "active" }.Save();
        ConnectionManager.GetConnection("primary_read").Execute("INSERT INTO users (name, status) VALUES ('replicated', 'active')");

        Assert.Equal("replicated", ReadWriteUser.FindActive().Single().Name);
        Assert.Equal("written", ReadWriteUser.All().Single().Name);
    }

    [Fact]
    public void TroubleshootingConnectionIssues_ConnectionPoolExhaustion()
    {
        var config = Sqlite("main.db");
        config["pool_size"] = 1;
        config["pool_timeout"] = 0.05;
        ConnectionManager.Configure("primary", config);
        var conn = ConnectionManager.GetConnection("primary");
        using var transaction = new Transaction(conn);
        conn.Execute("SELECT 1");

        // Another request, in another flow, finds the only connection in use.
        var error = OtherFlow(() => conn.Execute("SELECT 1"));
        Assert.IsType<PoolTimeoutException>(error);
        Assert.Contains("Raise pool_size or pool_timeout", error!.Message);
    }

    [Fact]
    public void DebuggingConnectionIssues_EnableSqlLogging()
    {
        using var logs = new CapturingLoggerProvider();
        using var factory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(logs));
        ConnectionManager.LoggerFactory = factory;
        try
        {
            var config = Sqlite("debug.db");
            config["echo"] = true; // Enable SQL logging

            ConnectionManager.Configure("debug_connection", config);
            ConnectionManager.GetConnection("debug_connection").Execute("SELECT 1");
        }
        finally
        {
            ConnectionManager.LoggerFactory = null;
        }

        Assert.Contains(logs.Category("Switchboard.Sql"), e => e.Message.Contains("[debug_connection]", StringComparison.Ordinal) && e.Message.Contains("SELECT 1", StringComparison.Ordinal));
    }

    [Fact]
    public void DebuggingConnectionIssues_CustomConnectionEventListeners()
    {
        var output = new ConcurrentQueue<string>();
        var name = "events_" + Guid.NewGuid().ToString("N")[..6];
        void Print(ConnectionEventArgs conn, string text)
        {
            if (conn.ConnectionName == name)
            {
                output.Enqueue(text);
            }
        }

        // Register connection event listeners
        using var checkout = ConnectionEvents.OnCheckout(conn => Print(conn, $"Connection {conn.Id} checked out"));
        using var checkin = ConnectionEvents.OnCheckin(conn => Print(conn, $"Connection {conn.Id} checked in"));
        using var connect = ConnectionEvents.OnConnect(conn => Print(conn, $"New connection {conn.Id} established"));
        using var disconnect = ConnectionEvents.OnDisconnect(conn => Print(conn, $"Connection {conn.Id} closed"));

        ConnectionManager.Configure(name, Sqlite("events.db"));
        ConnectionManager.GetConnection(name).Execute("SELECT 1");
        ConnectionManager.Dispose(name);

        var id = output.First().Split(' ')[2];
        Assert.Equal(
            [$"New connection {id} established", $"Connection {id} checked out", $"Connection {id} checked in", $"Connection {id} closed"],
            output);
    }

    private static Exception? OtherFlow(Action action)
    {
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception exception)
            {
                error = exception;
            }
        });
        using (ExecutionContext.SuppressFlow())
        {
            thread.Start();
        }

        thread.Join();
        return error;
    }

    [Connection("primary_write")]
    [System.ComponentModel.DataAnnotations.Schema.Table("users")]
    public class ReadWriteUser : ActiveRecord<ReadWriteUser>
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public string Status { get; set; } = "";

        public static List<ReadWriteUser> FindActive()
        {
            // Use read connection for this query
            using (UsingConnection("primary_read"))
            {
                return Where(new { status = "active" }).All();
            }
        }
    }
}

/// <summary>Tests that use the static ConnectionManager (one process-wide registry) run one at a time.</summary>
[CollectionDefinition(nameof(ConnectionManagerCollection), DisableParallelization = true)]
public sealed class ConnectionManagerCollection;
