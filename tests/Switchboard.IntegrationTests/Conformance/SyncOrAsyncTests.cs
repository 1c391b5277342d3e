using Switchboard.IntegrationTests.Conformance.Models;
using Switchboard.Tests.SyncOrAsync;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>
/// Each public operation that has a sync and an async form, run on the live engine with the same assertions in both
/// forms (a theory over <see cref="SyncOrAsync"/>): the driver's sync and async paths differ per engine, so both are run.
/// </summary>
public abstract class SyncOrAsyncTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    private static Query<Gadget> Active => Gadget.Where(g => g.Status == "active");

    [Theory]
    [SyncOrAsyncData]
    public async Task Records_SaveFindReloadDelete(SyncOrAsync mode)
    {
        var gadget = new Gadget { Name = "lamp", Status = "new", Price = 19.99m, Rank = 1 };

        await Run(mode, gadget.Save, gadget.SaveAsync);
        gadget.Price = 25.5m;
        await Run(mode, gadget.Save, gadget.SaveAsync);
        var found = await Run(mode, () => Gadget.Find(gadget.Id), ct => Gadget.FindAsync(gadget.Id, ct));
        found.Name = "unsaved";
        await Run(mode, found.Reload, found.ReloadAsync);
        var deleted = await Run(mode, found.Delete, found.DeleteAsync);
        var again = await Run(mode, gadget.Delete, gadget.DeleteAsync);

        Assert.True(gadget.Id > 0);
        Assert.Equal(("lamp", 25.5m), (found.Name, found.Price));
        Assert.Equal((true, false), (deleted, again));
        Assert.Null(await Run(mode, () => Gadget.FindOrDefault(gadget.Id), ct => Gadget.FindOrDefaultAsync(gadget.Id, ct)));
        await Throws<RecordNotFoundException>(mode, () => Gadget.Find(gadget.Id), ct => Gadget.FindAsync(gadget.Id, ct));
        await Throws<RecordNotFoundException>(mode, found.Reload, found.ReloadAsync);
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Reads_AnswerTheSameInBothForms(SyncOrAsync mode)
    {
        Seed();
        var none = Gadget.Where(g => g.Rank > 99);

        var all = await Run(mode, () => Active.OrderBy(g => g.Name).All(), ct => Active.OrderBy(g => g.Name).AllAsync(ct));
        var count = await Run(mode, () => Active.Count(), ct => Active.CountAsync(ct));
        var exists = await Run(mode, () => none.Exists(), ct => none.ExistsAsync(ct));
        var first = await Run(mode, () => Active.OrderByDescending(g => g.Rank).First(), ct => Active.OrderByDescending(g => g.Rank).FirstAsync(ct));
        var missing = await Run(mode, () => none.FirstOrDefault(), ct => none.FirstOrDefaultAsync(ct));
        var names = await Run(mode, () => Active.OrderBy(g => g.Name).Pluck(g => g.Name), ct => Active.OrderBy(g => g.Name).PluckAsync(g => g.Name, ct));
        await Throws<RecordNotFoundException>(mode, () => none.First(), ct => none.FirstAsync(ct));

        Assert.Equal(["desk", "lamp"], all.Select(g => g.Name));
        Assert.Equal((2L, false, "desk", (Gadget?)null), (count, exists, first.Name, missing));
        Assert.Equal(["desk", "lamp"], names);
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Aggregates_AnswerTheSameInBothForms(SyncOrAsync mode)
    {
        Seed();
        var none = Gadget.Where(g => g.Rank > 99);

        var sum = await Run(mode, () => Active.Sum(g => g.Price), ct => Active.SumAsync(g => g.Price, ct));
        var min = await Run(mode, () => Active.Min(g => g.Rank), ct => Active.MinAsync(g => g.Rank, ct));
        var max = await Run(mode, () => Active.Max(g => g.Price), ct => Active.MaxAsync(g => g.Price, ct));
        var average = await Run(mode, () => Active.Average(g => g.Price), ct => Active.AverageAsync(g => g.Price, ct));
        var empty = await Run(mode, () => none.Max(g => (int?)g.Rank), ct => none.MaxAsync(g => (int?)g.Rank, ct));

        Assert.Equal((270m, 1, 250m, 135m), (sum, min, max, average));
        Assert.Null(empty);
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task SetOperations_ChangeAndCountTheSameRows(SyncOrAsync mode)
    {
        Gadget[] more = [new() { Name = "a", Status = "bulk" }, new() { Name = "b", Status = "bulk" }];

        var inserted = await Run(mode, () => Gadget.InsertAll(more), ct => Gadget.InsertAllAsync(more, ct));
        var updated = await Run(mode, () => Gadget.Where(g => g.Status == "bulk").UpdateAll(new { Rank = 7 }), ct => Gadget.Where(g => g.Status == "bulk").UpdateAllAsync(new { Rank = 7 }, ct));
        var deleted = await Run(mode, () => Gadget.Where(g => g.Name == "a").DeleteAll(), ct => Gadget.Where(g => g.Name == "a").DeleteAllAsync(ct));

        Assert.Equal((2L, 2L, 1L), (inserted, updated, deleted));
        Assert.All(more, g => Assert.True(g.Id > 0));
        Assert.Equal(7, Gadget.Find(more[1].Id).Rank);
        Assert.Equal(1L, Gadget.Count());
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task RawSql_ReturnsTheSameInBothForms(SyncOrAsync mode)
    {
        var insert = $"INSERT INTO {Q("gadgets")} ({Q("name")}, {Q("status")}) VALUES ({P("name")}, 'raw')";
        var select = $"SELECT {Q("name")} FROM {Q("gadgets")} WHERE {Q("status")} = 'raw'";

        var changed = await Run(mode, () => Primary.Execute(insert, new { name = "x" }), ct => Primary.ExecuteAsync(insert, new { name = "x" }, ct));
        var raw = await Run(mode, () => Primary.ExecuteRaw(select), ct => Primary.ExecuteRawAsync(select, cancellationToken: ct));
        var scalar = await Run(mode, () => Primary.Scalar<string>(select), ct => Primary.ScalarAsync<string>(select, cancellationToken: ct));

        Assert.Equal((1, "x", "x"), (changed, raw.Scalar<string>(), scalar));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task AFailedStatement_ThrowsTheSameStatementException(SyncOrAsync mode)
    {
        var gadget = new Gadget { Name = "first", Status = "new" };
        gadget.Save();
        var duplicate = $"INSERT INTO {Q("gadgets")} ({Q("id")}, {Q("name")}, {Q("status")}) VALUES ({P("id")}, 'again', 'new')";

        var error = await Throws<StatementException>(mode, () => Primary.Execute(duplicate, new { id = gadget.Id }), ct => Primary.ExecuteAsync(duplicate, new { id = gadget.Id }, ct));

        Assert.Equal(StatementErrorKind.UniqueViolation, error.Kind);
        Assert.Equal(1L, Gadget.Count());
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Transactions_CommitAndRollBackTheSameInBothForms(SyncOrAsync mode)
    {
        using (var tx = Primary.BeginTransaction())
        {
            new Gadget { Name = "kept", Status = "tx" }.Save();
            await Run(mode, tx.Commit, tx.CommitAsync);
        }

        using (var tx = Primary.BeginTransaction())
        {
            new Gadget { Name = "undone", Status = "tx" }.Save();
            await Run(mode, tx.Rollback, tx.RollbackAsync);
        }

        await Throws<InvalidOperationException>(
            mode,
            () => Primary.Transaction(() => { new Gadget { Name = "thrown", Status = "tx" }.Save(); throw new InvalidOperationException("no"); }),
            ct => Primary.TransactionAsync(async () => { await new Gadget { Name = "thrown", Status = "tx" }.SaveAsync(ct); throw new InvalidOperationException("no"); }, cancellationToken: ct));
        var returned = await Run(
            mode,
            () => Primary.Transaction(() => { new Gadget { Name = "lambda", Status = "tx" }.Save(); return 42; }),
            ct => Primary.TransactionAsync(async () => { await new Gadget { Name = "lambda", Status = "tx" }.SaveAsync(ct); return 42; }, cancellationToken: ct));

        Assert.Equal(42, returned);
        Assert.Equal(["kept", "lambda"], Gadget.Where(g => g.Status == "tx").OrderBy(g => g.Name).Pluck(g => g.Name));
        Assert.Equal(0, Primary.Statistics.InUse);
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Copy_WritesTheSameRowsInBothForms(SyncOrAsync mode)
    {
        Seed();

        var copied = await Run(mode, () => Active.CopyTo(EngineFixture.SecondaryName), ct => Active.CopyToAsync(EngineFixture.SecondaryName, cancellationToken: ct));

        Assert.Equal(2L, copied.Rows);
        Assert.Equal(["desk", "lamp"], Gadget.Using(EngineFixture.SecondaryName).OrderBy(g => g.Name).Pluck(g => g.Name));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Registry_InitializeAll_CheckHealth_AndVerifyModels(SyncOrAsync mode)
    {
        var registry = Fixture.Registry;

        await Run(mode, registry.InitializeAll, registry.InitializeAllAsync);
        var health = await Run(mode, registry.CheckHealth, registry.CheckHealthAsync);
        var report = await Run(mode, () => registry.VerifyModels(EngineFixture.PrimaryName, typeof(Gadget)), ct => registry.VerifyModelsAsync(EngineFixture.PrimaryName, [typeof(Gadget)], ct));

        Assert.All(health, h => Assert.Equal(HealthStatus.Healthy, h.Status));
        Assert.False(report.HasErrors);
    }

    private static void Seed()
    {
        new Gadget { Name = "lamp", Status = "active", Price = 20m, Rank = 1 }.Save();
        new Gadget { Name = "desk", Status = "active", Price = 250m, Rank = 2 }.Save();
        new Gadget { Name = "shelf", Status = "idle", Price = 90m, Rank = 3 }.Save();
    }

    private static async Task<T> Run<T>(SyncOrAsync mode, Func<T> sync, Func<CancellationToken, Task<T>> async) =>
        mode == SyncOrAsync.Sync ? sync() : await async(Cancel);

    private static async Task Run(SyncOrAsync mode, Action sync, Func<CancellationToken, Task> async)
    {
        if (mode == SyncOrAsync.Sync)
        {
            sync();
        }
        else
        {
            await async(Cancel);
        }
    }

    private static async Task<TException> Throws<TException>(SyncOrAsync mode, Action sync, Func<CancellationToken, Task> async)
        where TException : Exception =>
        mode == SyncOrAsync.Sync ? Assert.Throws<TException>(sync) : await Assert.ThrowsAsync<TException>(() => async(Cancel));
}
