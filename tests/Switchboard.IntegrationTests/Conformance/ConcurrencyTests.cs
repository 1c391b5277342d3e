using Switchboard.IntegrationTests.Conformance.Models;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>Many flows sharing a small pool: every write lands, every read sees a consistent count, and the pool ends idle.</summary>
public abstract class ConcurrencyTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    private const int Workers = 32;
    private const int RowsPerWorker = 5;
    private const int PoolSize = 4;

    [Fact]
    public async Task ThirtyTwoWorkers_OnAPoolOfFour_InsertAndReadWithoutLosingAnything()
    {
        var pool = Fixture.Another("workers", c => c.PoolSize = PoolSize);
        var peak = 0;

        async Task Work(int worker)
        {
            using var scope = Gadget.UsingConnection(pool.Name);
            for (var row = 0; row < RowsPerWorker; row++)
            {
                await new Gadget { Name = $"w{worker:00}-{row}", Status = "w" + worker, Rank = row }.SaveAsync(Cancel);
                Interlocked.Exchange(ref peak, Math.Max(Volatile.Read(ref peak), pool.Statistics.Size));
                Assert.Equal(row + 1, await Gadget.Where(g => g.Status == "w" + worker).CountAsync(Cancel));
            }

            var mine = await Gadget.Where(new { status = "w" + worker }).OrderBy(g => g.Rank).AllAsync(Cancel);
            Assert.Equal(Enumerable.Range(0, RowsPerWorker), mine.Select(g => g.Rank));
        }

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(() => Work(w), Cancel)));

        Assert.Equal(Workers * RowsPerWorker, Gadget.Count());
        Assert.Equal(Workers * RowsPerWorker, Gadget.All().Select(g => g.Id).Distinct().Count());
        var statistics = pool.Statistics;
        Assert.Equal(0, statistics.InUse);
        Assert.Equal(0, statistics.Waiting);
        Assert.InRange(statistics.Size, 1, PoolSize);
        Assert.InRange(peak, 1, PoolSize);
    }

    [Fact]
    public async Task ConcurrentTransactions_OnAPoolOfFour_EachCommitOrRollBackTheirOwnWork()
    {
        var pool = Fixture.Another("transactions", c => c.PoolSize = PoolSize);

        async Task Work(int worker)
        {
            await pool.TransactionAsync(async () =>
            {
                using var scope = Gadget.UsingConnection(pool.Name);
                await new Gadget { Name = $"t{worker:00}", Status = "t", Rank = worker }.SaveAsync(Cancel);
                if (worker % 2 == 1)
                {
                    throw new OperationCanceledException("odd workers roll back");
                }
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
        Assert.Equal(0, pool.Statistics.InUse);
    }
}
