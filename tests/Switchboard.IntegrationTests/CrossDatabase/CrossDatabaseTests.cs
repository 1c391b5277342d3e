using System.ComponentModel.DataAnnotations.Schema;
using Switchboard.Tests.Support;

namespace Switchboard.IntegrationTests.CrossDatabase;

/// <summary>
/// Many databases at once, on real engines in one process: SQLite primary, PostgreSQL analytics and MariaDB reporting.
/// Read from one, write to another, each pool on its own, and DisposeAll closes every connection on every server.
/// </summary>
public sealed class CrossDatabaseTests : IAsyncLifetime
{
    private readonly string _unique = IntegrationSupport.Unique();
    private readonly string _folder = Directory.CreateTempSubdirectory("switchboard-xdb").FullName;
    private readonly ConnectionRegistry _registry = new();
    private Connection _monitorPostgres = null!;
    private Connection _monitorMariaDb = null!;
    private string _reportingDatabase = "";

    public async ValueTask InitializeAsync()
    {
        var postgres = ConnectionConfig.Parse(TestServers.Require(TestServers.PostgresVariable));
        var mariadb = ConnectionConfig.Parse(TestServers.Require(TestServers.MySqlVariable));
        mariadb.Driver = "mariadb";
        var monitors = new ConnectionRegistry();
        _monitorPostgres = monitors.Configure("monitor_pg", postgres.WithPool(1));
        _monitorMariaDb = monitors.Configure("monitor_maria", mariadb.WithPool(1));

        // The reporting pool gets a database of its own, so that the server's process list names exactly its sessions.
        _reportingDatabase = "xdb_" + _unique;
        await _monitorMariaDb.ExecuteAsync($"CREATE DATABASE `{_reportingDatabase}`");

        _registry.Configure("primary", new ConnectionConfig { Driver = "sqlite", Database = Path.Combine(_folder, "primary.db"), PoolSize = 2 });
        var analytics = postgres.WithPool(3);
        analytics.ApplicationName = "xdb-analytics-" + _unique;
        _registry.Configure("analytics", analytics);
        var reporting = mariadb.WithPool(2);
        reporting.Database = _reportingDatabase;
        _registry.Configure("reporting", reporting);

        await _registry.GetConnection("primary").ExecuteAsync("CREATE TABLE xdb_users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, country TEXT NOT NULL)");
        await _registry.GetConnection("analytics").ExecuteAsync($"CREATE TABLE xdb_page_views_{_unique} (id serial PRIMARY KEY, user_name text NOT NULL, path text NOT NULL)");
        await _registry.GetConnection("reporting").ExecuteAsync("CREATE TABLE xdb_reports (id INT AUTO_INCREMENT PRIMARY KEY, country VARCHAR(40) NOT NULL, views INT NOT NULL)");
    }

    public async ValueTask DisposeAsync()
    {
        await _registry.DisposeAllAsync();
        if (_monitorPostgres is not null)
        {
            await _monitorPostgres.ExecuteAsync($"DROP TABLE IF EXISTS xdb_page_views_{_unique}");
            await _monitorMariaDb.ExecuteAsync($"DROP DATABASE IF EXISTS `{_reportingDatabase}`");
            await _monitorPostgres.Registry.DisposeAllAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ReadFromOneEngine_WriteToAnother_EachPoolIndependent_AndDisposeAllClosesEverySession()
    {
        using var activation = _registry.Activate();
        var token = TestContext.Current.CancellationToken;
        foreach (var (name, country) in new[] { ("Ann", "Norway"), ("Bo", "Norway"), ("Cy", "Chile") })
        {
            await new XUser { Name = name, Country = country }.SaveAsync(token);
        }

        // Write page views on PostgreSQL for the users read from SQLite.
        var pageViews = _registry.GetConnection("analytics");
        foreach (var user in await XUser.AllAsync(token))
        {
            for (var i = 0; i <= user.Id; i++)
            {
                await pageViews.ExecuteAsync($"INSERT INTO xdb_page_views_{_unique} (user_name, path) VALUES (@name, @path)", new { name = user.Name, path = "/p" + i });
            }
        }

        // Read PostgreSQL, aggregate with SQLite's countries, write the report on MariaDB in one transaction there.
        var views = await pageViews.ExecuteRawAsync($"SELECT user_name, COUNT(*) AS views FROM xdb_page_views_{_unique} GROUP BY user_name", null, token);
        var countries = (await XUser.AllAsync(token)).ToDictionary(u => u.Name, u => u.Country);
        await _registry.GetConnection("reporting").TransactionAsync(async () =>
        {
            foreach (var group in views.Rows.GroupBy(r => countries[(string)r["user_name"]!]))
            {
                await new XReport { Country = group.Key, Views = (int)group.Sum(r => Convert.ToInt64(r["views"], System.Globalization.CultureInfo.InvariantCulture)) }.SaveAsync(token);
            }
        });

        var reports = (await XReport.OrderBy(r => r.Country).AllAsync(token)).Select(r => (r.Country, r.Views));
        Assert.Equal([("Chile", 4), ("Norway", 5)], reports);
        Assert.Equal(0L, await _registry.GetConnection("primary").ScalarAsync<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'xdb_reports'", null, token));

        // Each pool is its own: its own connections, counters and bound.
        var statistics = _registry.Names.ToDictionary(n => n, n => _registry.GetConnection(n).Statistics);
        Assert.All(statistics.Values, s => Assert.Equal(0, s.InUse));
        Assert.Equal((2, 3, 2), (statistics["primary"].MaxSize, statistics["analytics"].MaxSize, statistics["reporting"].MaxSize));
        Assert.True(await SessionsOnPostgres() >= 1);
        Assert.True(await SessionsOnMariaDb() >= 1);

        await _registry.DisposeAllAsync();

        Assert.Equal(0, await SessionsOnPostgres());
        Assert.Equal(0, await SessionsOnMariaDb());
        Assert.All(statistics.Keys, n => Assert.False(_registry.IsConfigured(n)));
    }

    private async Task<long> SessionsOnPostgres()
    {
        // A closed session leaves pg_stat_activity a moment after the client hangs up.
        for (var attempt = 0; ; attempt++)
        {
            var count = await _monitorPostgres.ScalarAsync<long>("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = @name", new { name = "xdb-analytics-" + _unique });
            if (count == 0 || attempt == 50)
            {
                return count;
            }

            await Task.Delay(20);
        }
    }

    private async Task<long> SessionsOnMariaDb()
    {
        for (var attempt = 0; ; attempt++)
        {
            var count = await _monitorMariaDb.ScalarAsync<long>("SELECT COUNT(*) FROM information_schema.processlist WHERE DB = @db", new { db = _reportingDatabase });
            if (count == 0 || attempt == 50)
            {
                return count;
            }

            await Task.Delay(20);
        }
    }

    [Connection("primary")]
    [Table("xdb_users")]
    public class XUser : ActiveRecord<XUser>
    {
        [Column("id")]
        public long Id { get; set; }

        [Column("name")]
        public string Name { get; set; } = "";

        [Column("country")]
        public string Country { get; set; } = "";
    }

    [Connection("reporting")]
    [Table("xdb_reports")]
    public class XReport : ActiveRecord<XReport>
    {
        [Column("id")]
        public long Id { get; set; }

        [Column("country")]
        public string Country { get; set; } = "";

        [Column("views")]
        public int Views { get; set; }
    }
}
