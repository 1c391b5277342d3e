using System.Collections.Concurrent;
using System.Globalization;
using Switchboard.Tests.Support;

namespace Switchboard.IntegrationTests.PgBouncer;

/// <summary>
/// Issue 13's worst finding: behind PgBouncer in transaction mode, auto-prepared statement names (<c>_auto0</c>, ...)
/// collide across clients, and a row acknowledged to one client carried another client's statement. Two registries
/// (two applications, as PgBouncer sees them) insert rows whose statement literal and parameter name the client; every
/// acknowledged row must carry its own client's values.
/// </summary>
public sealed class PgBouncerCollisionTests : IAsyncLifetime
{
    private const int WorkersPerClient = 4;
    private const int RowsPerWorker = 150;

    private readonly ConnectionRegistry _admin = new();
    private readonly string _table = "sb_" + IntegrationSupport.Unique() + "_collide";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoClients_WithPoolerKey_EveryAcknowledgedRowCarriesItsOwnClientsValues()
    {
        var outcome = await RunAsync(c => c.Pooler = "pgbouncer");

        Assert.True(outcome.ErrorCount == 0, outcome.ToString());
        Assert.Equal(2 * WorkersPerClient * RowsPerWorker, outcome.Acknowledged);
        Assert.Equal(0, outcome.Foreign);
        Assert.Equal(0, outcome.Missing);
    }

    /// <summary>
    /// What the key prevents, measured: with server preparation left on (as PgBouncer 1.21's max_prepared_statements
    /// would allow, but 1.18 does not), rows carry the other client's statement, or statements fail. Run on demand.
    /// </summary>
    [Fact(Explicit = true)]
    public async Task TwoClients_WithServerPreparationLeftOn_MixUpEachOthersStatements()
    {
        var outcome = await RunAsync(c => (c.Pooler, c.AutoPrepare) = ("pgbouncer", true));

        TestContext.Current.TestOutputHelper?.WriteLine("server preparation left on: " + outcome);
        Assert.True(outcome.Foreign > 0 || outcome.ErrorCount > 0, outcome.ToString());
    }

    /// <summary>Both clients run their workers together; returns what was acknowledged and what the table holds.</summary>
    private async Task<Outcome> RunAsync(Action<ConnectionConfig> configure)
    {
        var direct = _admin.Configure("direct", PgBouncerSupport.Direct(), replace: true);
        await direct.ExecuteAsync($"CREATE TABLE {_table} (id BIGSERIAL PRIMARY KEY, client TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL)", cancellationToken: Cancel);
        var acknowledged = new ConcurrentDictionary<string, string>();
        var errors = new ConcurrentBag<string>();
        var clients = new[] { "alpha", "bravo" }.Select(name =>
        {
            var registry = new ConnectionRegistry();
            var connection = registry.Configure(name, PgBouncerSupport.Config(pooler: false, c =>
            {
                c.PoolSize = WorkersPerClient;
                configure(c);
            }));
            return (Name: name, Registry: registry, Connection: connection);
        }).ToList();
        try
        {
            var work = clients.SelectMany(client => Enumerable.Range(0, WorkersPerClient).Select(worker => Task.Run(async () =>
            {
                for (var i = 0; i < RowsPerWorker; i++)
                {
                    var value = $"{client.Name}:{worker}:{i}";
                    try
                    {
                        // The client's name is a literal of its statements, so each client prepares different statements.
                        await client.Connection.ExecuteAsync(
                            $"INSERT INTO {_table} (client, value, n) VALUES ('{client.Name}', @value, @n)", new { value, n = i }, Cancel);
                        acknowledged[value] = client.Name;
                        if (i % 10 == 0)
                        {
                            await client.Connection.ScalarAsync<long>($"SELECT COUNT(*) FROM {_table} WHERE client = '{client.Name}' AND n >= @n", new { n = i }, Cancel);
                        }
                    }
                    catch (SwitchboardException error)
                    {
                        errors.Add(error.Message);
                    }
                }
            }, Cancel)));
            await Task.WhenAll(work);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.Registry.DisposeAllAsync();
            }
        }

        var stored = (await direct.ExecuteRawAsync($"SELECT client, value FROM {_table}", cancellationToken: Cancel)).Rows
            .Select(r => (Client: (string)r["client"]!, Value: (string)r["value"]!))
            .ToList();
        var byValue = stored.GroupBy(r => r.Value).ToDictionary(g => g.Key, g => g.Select(r => r.Client).ToList());
        var foreign = stored.Count(r => !r.Value.StartsWith(r.Client + ":", StringComparison.Ordinal));
        var missing = acknowledged.Count(a => !byValue.TryGetValue(a.Key, out var owners) || !owners.Contains(a.Value));
        return new Outcome(acknowledged.Count, foreign, missing, errors.Count, [.. errors.Distinct().Take(3)]);
    }

    private sealed record Outcome(int Acknowledged, int Foreign, int Missing, int ErrorCount, IReadOnlyList<string> Errors)
    {
        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture, $"acknowledged {Acknowledged}, foreign {Foreign}, missing {Missing}, {ErrorCount} errors: {string.Join(" | ", Errors)}");
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(TestServers.PostgresVariable)))
        {
            var direct = _admin.Configure("cleanup", PgBouncerSupport.Direct(), replace: true);
            await direct.ExecuteAsync($"DROP TABLE IF EXISTS {_table}");
        }

        await _admin.DisposeAllAsync();
    }
}
