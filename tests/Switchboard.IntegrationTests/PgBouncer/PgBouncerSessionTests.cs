using Npgsql;
using Switchboard.Tests.Support;

namespace Switchboard.IntegrationTests.PgBouncer;

/// <summary>
/// Issue 13, behind PgBouncer in transaction mode (<c>SWITCHBOARD_TEST_PGBOUNCER</c>, started by scripts/test): the
/// first connection, server-prepared statements and session state, each with <c>pooler: pgbouncer</c> and without it.
/// </summary>
public sealed class PgBouncerSessionTests : IAsyncLifetime
{
    private readonly ConnectionRegistry _registry = new();
    private readonly string _run = "sb_" + IntegrationSupport.Unique();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void FirstConnection_WithPoolerKey_Succeeds_ThoughPgBouncerRefusesSearchPath()
    {
        var connection = _registry.Configure("bounced", PgBouncerSupport.Config(pooler: true));

        Assert.Equal(1, connection.Scalar<int>("SELECT 1"));
        Assert.Equal("UTC", connection.Scalar<string>("SELECT current_setting('TimeZone')"));
        Assert.Equal("Switchboard:bounced", connection.Scalar<string>("SELECT current_setting('application_name')"));
    }

    [Fact]
    public async Task FirstConnection_WithoutPoolerKey_FailsWithAMessageNamingThePoolerKey_SyncAndAsync()
    {
        var connection = _registry.Configure("bounced", PgBouncerSupport.Config(pooler: false));

        var sync = Assert.Throws<ConnectionException>(() => connection.Execute("SELECT 1"));
        var async = await Assert.ThrowsAsync<ConnectionException>(() => connection.ExecuteAsync("SELECT 1", cancellationToken: Cancel));

        foreach (var error in new[] { sync, async })
        {
            Assert.Contains("search_path", error.Message, StringComparison.Ordinal);
            Assert.Contains("pooler: pgbouncer", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(PgBouncerSupport.Config(pooler: false).Password!, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SameStatements_ManyTimesOnEveryConnection_WithPoolerKey_NeverFailAndReturnTheirOwnValues()
    {
        // Auto-preparation starts at a statement's second use: without the key, _auto names collide across clients.
        var connections = Enumerable.Range(0, 3)
            .Select(i => _registry.Configure("client" + i, PgBouncerSupport.Config(pooler: true, c => c.PoolSize = 3)))
            .ToList();

        var work = connections.SelectMany((connection, client) => Enumerable.Range(0, 3).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++)
            {
                Assert.Equal(client * 1000 + i, await connection.ScalarAsync<int>($"SELECT @n + {client * 1000}", new { n = i }, Cancel));
                Assert.Equal($"c{client}:{i}", await connection.ScalarAsync<string>($"SELECT 'c{client}:' || @n::text", new { n = i }, Cancel));
            }
        }, Cancel)));
        await Task.WhenAll(work);
    }

    [Theory]
    [InlineData(false, 0L)]
    [InlineData(true, 1L)]
    public async Task AutoPrepare_AloneDecidesServerPreparation(bool autoPrepare, long expected)
    {
        // Straight to the server, pool of one: every statement runs on the same session, which lists what it prepared.
        var config = PgBouncerSupport.Direct();
        (config.PoolSize, config.AutoPrepare) = (1, autoPrepare);
        var connection = _registry.Configure("direct", config);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(i, await connection.ScalarAsync<int>("SELECT @n", new { n = i }, Cancel));
        }

        Assert.Equal(expected, await connection.ScalarAsync<long>("SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT $1%'", cancellationToken: Cancel));
    }

    [Fact]
    public async Task PreparedStatementErrors_WhenServerPreparationStaysOn_NameThePoolerKey()
    {
        // Each client prepares its statement at the second use; PgBouncer hands the next client the server connection
        // the last one used (its most recent), where a statement of that name exists already, or none does.
        var seen = new List<SwitchboardException>();
        for (var attempt = 0; attempt < 40 && seen.Count == 0; attempt++)
        {
            var connection = _registry.Configure("prepared" + attempt, PgBouncerSupport.Config(pooler: true, c => (c.PoolSize, c.AutoPrepare) = (1, true)));
            for (var i = 0; i < 4; i++)
            {
                try
                {
                    await connection.ScalarAsync<long>($"SELECT @n::bigint + {attempt}", new { n = i }, Cancel);
                }
                catch (SwitchboardException error) when (PgBouncerSupport.IsPreparedStatementMixUp(error))
                {
                    seen.Add(error);
                }
            }

            await _registry.DisposeAsync("prepared" + attempt);
        }

        Assert.NotEmpty(seen);
        Assert.All(seen, e => Assert.Contains("pooler: pgbouncer", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Schema_IsAppliedInEveryStatementsTransaction_NeverLeftOnTheSession()
    {
        var direct = _registry.Configure("direct", PgBouncerSupport.Direct());
        await direct.ExecuteAsync($"CREATE SCHEMA {_run}_a", cancellationToken: Cancel);
        await direct.ExecuteAsync($"CREATE TABLE {_run}_a.marks (v TEXT)", cancellationToken: Cancel);
        await direct.ExecuteAsync($"INSERT INTO {_run}_a.marks VALUES ('schema a')", cancellationToken: Cancel);
        var inSchema = _registry.Configure("in_schema", PgBouncerSupport.Config(pooler: true, c => (c.Schema, c.PoolSize) = (_run + "_a", 4)));
        var unset = _registry.Configure("unset", PgBouncerSupport.Config(pooler: true, c => c.PoolSize = 4));

        // Both clients share PgBouncer's server connections: a session SET by one would show in the other.
        var work = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                if (worker % 2 == 0)
                {
                    Assert.Equal(_run + "_a", await inSchema.ScalarAsync<string>("SELECT current_schema()", cancellationToken: Cancel));
                    Assert.Equal("schema a", await inSchema.ScalarAsync<string>("SELECT v FROM marks", cancellationToken: Cancel));
                }
                else
                {
                    Assert.Equal("public", await unset.ScalarAsync<string>("SELECT current_schema()", cancellationToken: Cancel));
                }
            }
        }, Cancel));
        await Task.WhenAll(work);

        await inSchema.TransactionAsync(async () =>
        {
            Assert.Equal("schema a", await inSchema.ScalarAsync<string>("SELECT v FROM marks", cancellationToken: Cancel));
            await inSchema.ExecuteAsync("INSERT INTO marks VALUES ('in a transaction')", cancellationToken: Cancel);
        }, cancellationToken: Cancel);
        Assert.Equal(2, await direct.ScalarAsync<long>($"SELECT COUNT(*) FROM {_run}_a.marks", cancellationToken: Cancel));

        // No server session behind PgBouncer keeps the schema once a statement is done: a client that sets nothing
        // (PgBouncer gives it the server connection used last) sees the server's default search_path every time.
        var plain = new NpgsqlConnectionStringBuilder(PgBouncerUrlToConnectionString()) { Pooling = false, MaxAutoPrepare = 0 };
        for (var i = 0; i < 20; i++)
        {
            await inSchema.ScalarAsync<string>("SELECT v FROM marks", cancellationToken: Cancel);
            await using var raw = new NpgsqlConnection(plain.ConnectionString);
            await raw.OpenAsync(Cancel);
            await using var show = new NpgsqlCommand("SELECT current_schema()", raw);
            Assert.Equal("public", await show.ExecuteScalarAsync(Cancel));
        }
    }

    [Fact]
    public void InitCommand_WithPoolerKey_IsRefusedAtConfigure_WithTheReason()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            _registry.Configure("init", PgBouncerSupport.Config(pooler: true, c => c.InitCommand = "SET statement_timeout = 1000")));

        Assert.Equal("init_command", error.Key);
        Assert.Contains("pooler", error.Message, StringComparison.Ordinal);
        Assert.Contains("transaction", error.Message, StringComparison.Ordinal);
    }

    private static string PgBouncerUrlToConnectionString()
    {
        var config = PgBouncerSupport.Config(pooler: true);
        return new NpgsqlConnectionStringBuilder
        {
            Host = config.Host, Port = config.Port ?? 5432, Database = config.Database, Username = config.Username, Password = config.Password,
        }.ConnectionString;
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(TestServers.PostgresVariable)))
        {
            var direct = _registry.Configure("cleanup", PgBouncerSupport.Direct(), replace: true);
            await direct.ExecuteAsync($"DROP SCHEMA IF EXISTS {_run}_a CASCADE");
        }

        await _registry.DisposeAllAsync();
    }
}
