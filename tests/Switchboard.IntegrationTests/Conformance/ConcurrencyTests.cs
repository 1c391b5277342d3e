using System.Collections.Concurrent;
using System.Globalization;
using Switchboard.IntegrationTests.Conformance.Models;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>
/// Many flows sharing a small pool: every write lands, every read sees a consistent count, the pool ends idle, and the
/// bound holds as the database sees it: the statements never run on more physical connections than <c>pool_size</c>.
/// </summary>
/// <remarks>
/// The bound is observed from outside the pool, never from its own counters (a pool that miscounts reports a wrong
/// peak too): each statement asks the engine which session it runs in, and the distinct sessions are counted. The
/// pools here neither recycle nor idle out within a test, so every session seen is one physical connection opened.
/// </remarks>
public abstract class ConcurrencyTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    private const int Workers = 32;
    private const int RowsPerWorker = 5;
    private const int PoolSize = 4;

    // SQLite has no session id: each physical connection keeps a random token in a temporary table of its own
    // (temporary tables belong to one connection), created by the first statement that asks.
    private const string SqliteSessionSql =
        "CREATE TEMP TABLE IF NOT EXISTS sb_session AS SELECT lower(hex(randomblob(8))) AS token; SELECT token FROM temp.sb_session";

    [Fact]
    public async Task ThirtyTwoWorkers_OnAPoolOfFour_InsertAndReadWithoutLosingAnything_OnAtMostFourSessions()
    {
        var pool = Fixture.Another("workers", c =>
        {
            c.PoolSize = PoolSize;
            if (!Engine.IsServer)
            {
                // 32 workers blocking in SQLite's busy handler can starve a 2-core machine's thread pool, so that the
                // writer holding the lock waits for a thread longer than the default 5 s busy_timeout.
                c.BusyTimeout = TimeSpan.FromSeconds(30);
            }
        });
        var sessions = new ConcurrentDictionary<string, byte>();

        async Task Work(int worker)
        {
            using var scope = Gadget.UsingConnection(pool.Name);
            for (var row = 0; row < RowsPerWorker; row++)
            {
                await new Gadget { Name = $"w{worker:00}-{row}", Status = "w" + worker, Rank = row }.SaveAsync(Cancel);
                await HoldASessionAsync(pool, sessions);
                Assert.Equal(row + 1, await Gadget.Where(g => g.Status == "w" + worker).CountAsync(Cancel));
            }

            var mine = await Gadget.Where(new { status = "w" + worker }).OrderBy(g => g.Rank).AllAsync(Cancel);
            Assert.Equal(Enumerable.Range(0, RowsPerWorker), mine.Select(g => g.Rank));
        }

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(() => Work(w), Cancel)));

        Assert.Equal(Workers * RowsPerWorker, Gadget.Count());
        Assert.Equal(Workers * RowsPerWorker, Gadget.All().Select(g => g.Id).Distinct().Count());
        Assert.InRange(sessions.Count, 1, PoolSize);
        var statistics = pool.Statistics;
        Assert.Equal(0, statistics.InUse);
        Assert.Equal(0, statistics.Waiting);
        Assert.InRange(statistics.Opened, sessions.Count, PoolSize);
    }

    [Fact]
    public async Task ConcurrentTransactions_OnAPoolOfFour_EachCommitOrRollBackTheirOwnWork_OnAtMostFourSessions()
    {
        var pool = Fixture.Another("transactions", c => c.PoolSize = PoolSize);
        var sessions = new ConcurrentDictionary<string, byte>();

        async Task Work(int worker)
        {
            await pool.TransactionAsync(async () =>
            {
                using var scope = Gadget.UsingConnection(pool.Name);
                await new Gadget { Name = $"t{worker:00}", Status = "t", Rank = worker }.SaveAsync(Cancel);
                var session = await SessionAsync(pool);
                if (worker % 2 == 1)
                {
                    throw new OperationCanceledException("odd workers roll back");
                }

                // Only sessions of committed work: SQLite's token table, made inside a rolled-back transaction, goes with it.
                sessions.TryAdd(session, 0);
            }, cancellationToken: Cancel);
        }

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            try
            {
                await Work(w);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }, Cancel)));

        Assert.Equal(Workers / 2, outcomes.Count(o => o));
        Assert.Equal(Enumerable.Range(0, Workers / 2).Select(i => i * 2), Gadget.OrderBy(g => g.Rank).All().Select(g => g.Rank));
        Assert.InRange(sessions.Count, 1, PoolSize);
        Assert.InRange(pool.Statistics.Opened, 1, PoolSize);
        Assert.Equal(0, pool.Statistics.InUse);
    }

    /// <summary>
    /// Records the session of a connection held across an await, so that the workers really contend for the pool (on
    /// SQLite, whose statements take microseconds, they might otherwise rarely want a fifth connection at once).
    /// </summary>
    private async Task HoldASessionAsync(Connection pool, ConcurrentDictionary<string, byte> sessions) =>
        await pool.TransactionAsync(
            async () =>
            {
                sessions.TryAdd(await SessionAsync(pool), 0);
                await Task.Delay(2, Cancel);
            },
            cancellationToken: Cancel);

    /// <summary>The session the next statement on <paramref name="pool"/> runs in, as the engine names it.</summary>
    private async Task<string> SessionAsync(Connection pool)
    {
        var result = await pool.ExecuteRawAsync(Engine.SessionIdSql ?? SqliteSessionSql, cancellationToken: Cancel);
        return Convert.ToString(result.Rows[0].Values.First(), CultureInfo.InvariantCulture)!;
    }
}
