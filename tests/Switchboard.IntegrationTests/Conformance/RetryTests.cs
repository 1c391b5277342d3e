using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations.Schema;
using System.Data;
using Switchboard.IntegrationTests.Conformance.Models;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>
/// Retries against the live servers (issue 15 item 3): backends killed under a read load, and the readers never see an
/// error; a real deadlock (PostgreSQL 40P01, MariaDB 1213) and a real serialization failure (PostgreSQL 40001) lost by a
/// lambda transaction, which runs again from the start and commits. Only this test's own sessions are killed.
/// </summary>
public abstract class RetryTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    private static RetryOptions Patient => new() { MaxAttempts = 6, BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200), Deadline = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task BackendsKilledDuringAReadLoad_TheReadersNeverSeeAnError()
    {
        var (victim, sessionsSql, cleanUp) = await VictimAsync();
        try
        {
            var killer = Fixture.Another("killer_" + _suffix);
            var retries = new ConcurrentQueue<string?>();
            using var subscription = Fixture.Registry.Events.OnRetry(e =>
            {
                if (e.ConnectionName == victim.Name)
                {
                    retries.Enqueue(e.Reason);
                }
            });
            var errors = new ConcurrentQueue<Exception>();
            var reads = 0L;
            var kills = 0;
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(4));

            async Task ReadLoop()
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        var rows = await KillRow.Using(victim.Name).Where(r => r.N >= 0).AllAsync(CancellationToken.None);
                        Assert.Equal(20, rows.Count);
                        Interlocked.Increment(ref reads);
                    }
                    catch (Exception exception)
                    {
                        errors.Enqueue(exception);
                    }
                }
            }

            async Task KillLoop()
            {
                while (!stop.IsCancellationRequested)
                {
                    await Task.Delay(150, CancellationToken.None);
                    foreach (var row in (await killer.ExecuteRawAsync(sessionsSql, cancellationToken: CancellationToken.None)).Values)
                    {
                        try
                        {
                            await killer.ExecuteAsync(Engine.KillSql(Convert.ToInt64(row[0], System.Globalization.CultureInfo.InvariantCulture))!, cancellationToken: CancellationToken.None);
                            Interlocked.Increment(ref kills);
                        }
                        catch (StatementException)
                        {
                            // The session ended between the list and the kill.
                        }
                    }
                }
            }

            await Task.WhenAll(ReadLoop(), ReadLoop(), ReadLoop(), ReadLoop(), KillLoop());

            TestContext.Current.TestOutputHelper?.WriteLine($"{Engine.Driver}: {reads} reads, {kills} sessions killed, {retries.Count} retries, {errors.Count} errors seen by readers");
            Assert.Empty(errors);
            Assert.True(kills > 5, $"only {kills} sessions were killed");
            Assert.NotEmpty(retries);
            Assert.All(retries, r => Assert.Equal("transient", r));
            Assert.True(reads > 20, $"only {reads} reads completed");
        }
        finally
        {
            await cleanUp();
        }
    }

    [Fact]
    public async Task ADeadlockLostByALambdaTransaction_RunsItAgain_AndBothCommit()
    {
        RequireServer();
        var one = Fixture.Another("one_" + _suffix, c => c.Retry = Patient);
        var two = Fixture.Another("two_" + _suffix, c => c.Retry = Patient);
        var first = new Gadget { Name = "first", Status = "deadlock" };
        var second = new Gadget { Name = "second", Status = "deadlock" };
        first.Save();
        second.Save();
        var reasons = new ConcurrentQueue<string?>();
        using var subscription = Fixture.Registry.Events.OnRetry(e => reasons.Enqueue(e.Reason));
        using var bothLocked = new Barrier(2);
        var runs = 0;

        // Each lambda locks one row, waits (on its first run only) until the other has locked its row, then asks for the other's.
        Task LockInOrder(Connection on, long lockFirst, long lockThen) => Task.Run(() => on.Transaction(() =>
        {
            var run = Interlocked.Increment(ref runs);
            on.Execute(AddRank, new { id = lockFirst });
            if (run <= 2)
            {
                bothLocked.SignalAndWait(TimeSpan.FromSeconds(10));
            }

            on.Execute(AddRank, new { id = lockThen });
        }));

        await Task.WhenAll(LockInOrder(one, first.Id, second.Id), LockInOrder(two, second.Id, first.Id));

        Assert.Equal(3, runs);
        Assert.Equal("deadlock", Assert.Single(reasons));
        Assert.Equal(4, Gadget.Where(g => g.Status == "deadlock").All().Sum(g => g.Rank));
    }

    [Fact]
    public async Task ASerializationFailureLostByALambdaTransaction_RunsItAgain_AndBothCommit()
    {
        if (Engine.Driver != "postgresql")
        {
            Assert.Skip("Only PostgreSQL's SERIALIZABLE reports write skew as 40001; MariaDB's locks it into a deadlock instead.");
        }

        var one = Fixture.Another("one_" + _suffix, c => c.Retry = Patient);
        var two = Fixture.Another("two_" + _suffix, c => c.Retry = Patient);
        using var bothRead = new Barrier(2);
        var reasons = new ConcurrentQueue<string?>();
        using var subscription = Fixture.Registry.Events.OnRetry(e => reasons.Enqueue(e.Reason));
        var runs = 0;

        // Write skew: each counts the rows, then adds one; serially the second would see the first's row.
        Task CountThenInsert(Connection on, string name) => Task.Run(() => on.Transaction(() =>
        {
            var run = Interlocked.Increment(ref runs);
            var seen = on.Scalar<long>($"SELECT COUNT(*) FROM {Q("gadgets")} WHERE {Q("status")} = 'skew'");
            if (run <= 2)
            {
                bothRead.SignalAndWait(TimeSpan.FromSeconds(10));
            }

            on.Execute($"INSERT INTO {Q("gadgets")} ({Q("name")}, {Q("status")}, {Q("rank")}) VALUES ({P("name")}, 'skew', {P("seen")})", new { name, seen });
        }, IsolationLevel.Serializable));

        await Task.WhenAll(CountThenInsert(one, "a"), CountThenInsert(two, "b"));

        Assert.Equal(3, runs);
        Assert.Equal("serialization_failure", Assert.Single(reasons));
        Assert.Equal([0, 1], Gadget.Where(g => g.Status == "skew").All().Select(g => g.Rank).Order());
    }

    private string AddRank => $"UPDATE {Q("gadgets")} SET {Q("rank")} = {Q("rank")} + 1 WHERE {Q("id")} = {P("id")}";

    private void RequireServer()
    {
        if (!Engine.IsServer)
        {
            Assert.Skip("SQLite has one writer at a time: it cannot deadlock, and it has no sessions to kill.");
        }
    }

    /// <summary>
    /// A connection with retries and pre-ping off (so that a killed session is handed out and fails at its statement),
    /// reading 20 rows; the query that lists its sessions and no one else's; and the clean-up.
    /// </summary>
    private async Task<(Connection Victim, string SessionsSql, Func<Task> CleanUp)> VictimAsync()
    {
        RequireServer();
        var app = "sbretry_" + _suffix;
        Action<ConnectionConfig> victimConfig = c => (c.Retry, c.PoolPrePing, c.PoolSize, c.ApplicationName) = (Patient, PrePing.Never, 4, app);
        Func<Task> cleanUp = () => Task.CompletedTask;
        string sessionsSql;
        Connection victim;
        switch (Engine.Driver)
        {
            case "postgresql":
                victim = Fixture.Another("victim_" + _suffix, victimConfig);
                sessionsSql = $"SELECT pid FROM pg_stat_activity WHERE application_name = '{app}'";
                break;
            case "mysql" or "mariadb":
                // MariaDB shows no application name: the victim gets a database of its own, so that its sessions are the only ones there.
                var database = Primary.Config.Database + "_k";
                await Primary.ExecuteAsync($"CREATE DATABASE {database}", cancellationToken: Cancel);
                victim = Fixture.Another("victim_" + _suffix, c => { victimConfig(c); c.Database = database; });
                sessionsSql = $"SELECT id FROM information_schema.processlist WHERE db = '{database}'";
                cleanUp = async () =>
                {
                    await Fixture.Registry.DisposeAsync(victim.Name);
                    await Primary.ExecuteAsync($"DROP DATABASE IF EXISTS {database}", cancellationToken: CancellationToken.None);
                };
                break;
            default:
                Assert.Skip($"No query lists the sessions of one pool on {Engine.Driver} yet.");
                throw new InvalidOperationException();
        }

        victim.Execute($"CREATE TABLE {Q(KillRow.TableName)} ({Q("Id")} INTEGER PRIMARY KEY, {Q("N")} INTEGER NOT NULL)");
        for (var i = 0; i < 20; i++)
        {
            victim.Execute($"INSERT INTO {Q(KillRow.TableName)} ({Q("Id")}, {Q("N")}) VALUES ({i}, {i})");
        }

        return (victim, sessionsSql, cleanUp);
    }
}

/// <summary>The rows the read load reads.</summary>
[Table(TableName)]
public class KillRow : ActiveRecord<KillRow>
{
    public const string TableName = "sb_kill_rows";

    public long Id { get; set; }

    public int N { get; set; }
}
