using Switchboard.IntegrationTests.Conformance.Models;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>
/// Set operations: UpdateAll, DeleteAll, Pluck, the aggregates and InsertAll, on empty sets, NULLs, sums beyond the
/// column's type, batches beyond one statement's parameter limit, failures half way and transactions.
/// </summary>
public abstract class SetOperationTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UpdateAll_SetsTheMatchingRowsOnly_AndReturnsHowManyItMatched(bool isAsync)
    {
        await SeedTwenty();
        const string hostile = "Robert'); DROP TABLE gadgets; --";
        var query = Gadget.Where(g => g.Rank <= 5);
        var assignments = new { Status = "archived", Note = hostile };

        var updated = isAsync ? await query.UpdateAllAsync(assignments, Cancel) : query.UpdateAll(assignments);
        var none = isAsync ? await Gadget.Where(g => g.Rank > 100).UpdateAllAsync(new { Status = "x" }, Cancel) : Gadget.Where(g => g.Rank > 100).UpdateAll(new { Status = "x" });

        Assert.Equal(5, updated);
        Assert.Equal(0, none);
        Assert.Equal([1, 2, 3, 4, 5], Gadget.Where(new { status = "archived", note = hostile }).OrderBy(g => g.Rank).Pluck(g => g.Rank));
        Assert.Equal(15, Gadget.Where(g => g.Note == null).Count());

        // The rows matched, also where nothing changes (MySQL would report changed rows only without UseAffectedRows=false).
        Assert.Equal(5, Gadget.Where(g => g.Status == "archived").UpdateAll(new { Status = "archived" }));
        Assert.Equal(1, Gadget.Where(g => g.Rank == 1).UpdateAll(new Dictionary<string, object?> { ["Note"] = null, ["rank"] = 100 }));
        Assert.Equal(new string?[] { null }, Gadget.Where(g => g.Rank == 100).Pluck(g => g.Note));
    }

    [Fact]
    public async Task UpdateAll_WithAnUnknownOrRepeatedProperty_NamesTheModelAndProperty_AndSendsNothing()
    {
        await SeedTwenty();
        var mark = LogMark();

        var unknown = Assert.Throws<ArgumentException>(() => Gadget.Where(g => g.Rank == 1).UpdateAll(new { Colour = "red" }));
        var empty = Assert.Throws<ArgumentException>(() => Gadget.Where(g => g.Rank == 1).UpdateAll(new { }));
        var paged = Assert.Throws<InvalidOperationException>(() => Gadget.OrderBy(g => g.Rank).Limit(3).UpdateAll(new { Status = "x" }));

        Assert.Contains("Gadget", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("'Colour'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("Status", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("at least one property", empty.Message, StringComparison.Ordinal);
        Assert.Contains("Limit", paged.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => Gadget.Offset(3).DeleteAll());
        Assert.Empty(StatementsSince(mark));
        Assert.Equal(20, Gadget.Where(g => g.Status == "even" || g.Status == "odd").Count());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeleteAll_DeletesTheMatchingRowsOnly_AndReturnsHowMany(bool isAsync)
    {
        await SeedTwenty();

        var deleted = isAsync ? await Gadget.Where(g => g.Status == "even").DeleteAllAsync(Cancel) : Gadget.Where(g => g.Status == "even").DeleteAll();
        var none = isAsync ? await Gadget.Where(g => g.Status == "even").DeleteAllAsync(Cancel) : Gadget.Where(g => g.Status == "even").DeleteAll();

        Assert.Equal(10, deleted);
        Assert.Equal(0, none);
        Assert.Equal(["odd"], Gadget.Where(new { }).Pluck(g => g.Status).Distinct());
        Assert.Equal(10, Gadget.Where(new { }).DeleteAll());
        Assert.Equal(0, Gadget.Count());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pluck_ReturnsOneColumnInTheQueryOrder_WithNullsAndCasts(bool isAsync)
    {
        await SeedTwenty();
        Gadget.Where(g => g.Rank == 19).UpdateAll(new { Note = "nineteen" });
        var top = Gadget.OrderByDescending(g => g.Rank).Limit(3);

        Assert.Equal(["g20", "g19", "g18"], isAsync ? await top.PluckAsync(g => g.Name, Cancel) : top.Pluck(g => g.Name));
        Assert.Equal(new string?[] { null, "nineteen", null }, top.Pluck(g => g.Note));
        Assert.Equal([20L, 19L, 18L], top.Pluck(g => (long)g.Rank));
        Assert.Equal([20m, 19m, 18m], top.Pluck(g => g.Price));
        Assert.Empty(isAsync ? await Gadget.Where(g => g.Rank > 100).PluckAsync(g => g.Id, Cancel) : Gadget.Where(g => g.Rank > 100).Pluck(g => g.Id));
        Assert.Throws<NotSupportedException>(() => Gadget.Where(new { }).Pluck(g => g.Name.Length));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Aggregates_OverTheMatchingRowsAndPages_AgreeWithLinq(bool isAsync)
    {
        await SeedTwenty();
        var even = Gadget.Where(g => g.Status == "even");
        var page = Gadget.OrderByDescending(g => g.Rank).Limit(3);

        Assert.Equal(110, isAsync ? await even.SumAsync(g => g.Rank, Cancel) : even.Sum(g => g.Rank));
        Assert.Equal(210m, isAsync ? await Gadget.Where(new { }).SumAsync(g => g.Price, Cancel) : Gadget.Where(new { }).Sum(g => g.Price));
        Assert.Equal(57, page.Sum(g => g.Rank));
        Assert.Equal(2, isAsync ? await even.MinAsync(g => g.Rank, Cancel) : even.Min(g => g.Rank));
        Assert.Equal(20, isAsync ? await even.MaxAsync(g => g.Rank, Cancel) : even.Max(g => g.Rank));
        Assert.Equal(18, page.Min(g => g.Rank));
        Assert.Equal(11.0, isAsync ? await even.AverageAsync(g => g.Rank, Cancel) : even.Average(g => g.Rank));
        Assert.Equal(10.5m, isAsync ? await Gadget.Where(new { }).AverageAsync(g => g.Price, Cancel) : Gadget.Where(new { }).Average(g => g.Price));
        Assert.Equal(19.0, page.Average(g => g.Rank));

        // An average that engines round differently (MariaDB's AVG of integers keeps four decimals).
        Assert.Equal(new[] { 1, 2, 4 }.Average(), Gadget.Where(g => g.Rank == 1 || g.Rank == 2 || g.Rank == 4).Average(g => g.Rank));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Aggregates_OfNoRows_AreZeroForSumsAndNullOtherwise(bool isAsync)
    {
        var none = Gadget.Where(g => g.Rank > 100);

        Assert.Equal(0, isAsync ? await none.SumAsync(g => g.Rank, Cancel) : none.Sum(g => g.Rank));
        Assert.Equal(0m, none.Sum(g => g.Price));
        Assert.Equal(0, isAsync ? await TypeSample.Where(x => x.Id < 0).SumAsync(x => x.MaybeNumber, Cancel) : TypeSample.Where(x => x.Id < 0).Sum(x => x.MaybeNumber));
        Assert.Null(isAsync ? await none.MinAsync(g => g.Rank, Cancel) : none.Min(g => g.Rank));
        Assert.Null(none.Max(g => g.Price));
        Assert.Null(isAsync ? await none.AverageAsync(g => g.Rank, Cancel) : none.Average(g => g.Rank));
        Assert.Null(none.Average(g => g.Price));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Aggregates_LeaveNullsOut_AndAreExactForDecimalsAndInstants(bool isAsync)
    {
        var early = new DateTimeOffset(2026, 3, 1, 1, 2, 3, TimeSpan.FromHours(5.5));   // 2026-02-28 19:32:03 UTC
        var late = new DateTimeOffset(2026, 2, 28, 20, 0, 0, TimeSpan.Zero);
        foreach (var (number, amount, at) in new (int?, decimal?, DateTimeOffset)[] { (42, 12345678901234.5678m, late), (null, null, early), (8, 9.5m, late), (null, -0.0001m, late) })
        {
            var sample = TypeSample.Full();
            (sample.MaybeNumber, sample.MaybeAmount, sample.HappenedAt, sample.Amount) = (number, amount, at, amount ?? 1m);
            await sample.SaveAsync(Cancel);
        }

        var all = TypeSample.Where(new { });
        Assert.Equal(50, isAsync ? await all.SumAsync(x => x.MaybeNumber, Cancel) : all.Sum(x => x.MaybeNumber));
        Assert.Equal(8, all.Min(x => x.MaybeNumber));
        Assert.Equal(42, isAsync ? await all.MaxAsync(x => x.MaybeNumber, Cancel) : all.Max(x => x.MaybeNumber));
        Assert.Equal(25.0, all.Average(x => x.MaybeNumber));

        // More digits than a double holds: SQLite's floating-point SUM would lose the last ones, its text MIN/MAX misorder them.
        Assert.Equal(12345678901234.5678m + 9.5m - 0.0001m, isAsync ? await all.SumAsync(x => x.MaybeAmount, Cancel) : all.Sum(x => x.MaybeAmount));
        Assert.Equal(-0.0001m, all.Min(x => x.MaybeAmount));
        Assert.Equal(12345678901234.5678m, all.Max(x => x.MaybeAmount));
        Assert.Equal((12345678901234.5678m + 9.5m - 0.0001m) / 3, all.Average(x => x.MaybeAmount));
        Assert.Equal(12345678901234.5678m + 9.5m + 1m - 0.0001m, all.Sum(x => x.Amount));

        // By instant, not by the text of the offset.
        Assert.Equal(early, isAsync ? await all.MinAsync(x => x.HappenedAt, Cancel) : all.Min(x => x.HappenedAt));
        Assert.Equal(late, all.Max(x => x.HappenedAt));
    }

    [Fact]
    public async Task Sum_BeyondTheColumnsType_IsAnErrorNamingTheFix_NeverAWrongValue()
    {
        await new Gadget { Name = "a", Status = "big", Rank = int.MaxValue }.SaveAsync(Cancel);
        await new Gadget { Name = "b", Status = "big", Rank = int.MaxValue }.SaveAsync(Cancel);
        foreach (var big in new[] { long.MaxValue - 1, 5 })
        {
            var sample = TypeSample.Full();
            sample.Big = big;
            await sample.SaveAsync(Cancel);
        }

        var intSum = Assert.Throws<SwitchboardException>(() => Gadget.Where(new { }).Sum(g => g.Rank));
        await Assert.ThrowsAsync<SwitchboardException>(() => Gadget.Where(new { }).SumAsync(g => g.Rank, Cancel));

        Assert.Contains("Gadget.Rank", intSum.Message, StringComparison.Ordinal);
        Assert.Contains("(long)", intSum.Message, StringComparison.Ordinal);
        Assert.Equal(2L * int.MaxValue, Gadget.Where(new { }).Sum(g => (long)g.Rank));
        Assert.Equal(2.0 * int.MaxValue, Gadget.Where(new { }).Sum(g => (double)g.Rank));
        Assert.ThrowsAny<SwitchboardException>(() => TypeSample.Where(new { }).Sum(x => x.Big));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InsertAll_GivesEachRecordItsOwnKey_AndTheRecordsSaveBackAsLoaded(bool isAsync)
    {
        var records = Enumerable.Range(1, 25).Select(i => new Gadget { Name = $"n{i:00}", Status = "bulk", Price = i / 4m, Rank = i, Note = i % 3 == 0 ? null : "x" }).ToList();

        var inserted = isAsync ? await Gadget.InsertAllAsync(records, Cancel) : Gadget.InsertAll(records);

        Assert.Equal(25, inserted);
        Assert.Equal(25, records.Select(r => r.Id).Where(id => id != 0).Distinct().Count());
        var stored = Gadget.All().ToDictionary(g => g.Id);
        Assert.All(records, r => Assert.Equal((r.Name, r.Price, r.Rank, r.Note), (stored[r.Id].Name, stored[r.Id].Price, stored[r.Id].Rank, stored[r.Id].Note)));
        records[0].Name = "renamed";
        records[0].Save();
        Assert.Equal(25, Gadget.Count());
        Assert.Equal("renamed", Gadget.Find(records[0].Id).Name);
        Assert.Equal(0, Gadget.InsertAll([]));
        Assert.Throws<ArgumentException>(() => Gadget.InsertAll([records[1]]));
        var fresh = new Gadget { Name = "twice", Status = "bulk" };
        Assert.Throws<ArgumentException>(() => Gadget.InsertAll([fresh, fresh]));
        Assert.Equal(25, Gadget.Count());
    }

    [Fact]
    public void InsertAll_WithKeysSet_InsertsThoseKeys_BesideGeneratedOnes()
    {
        var given = Enumerable.Range(1, 5).Select(i => new Gadget { Id = 100_000 + i, Name = $"given{i}", Status = "keyed" }).ToList();
        var generated = new Gadget { Name = "generated", Status = "keyed" };

        Assert.Equal(6, Gadget.InsertAll([.. given, generated]));

        Assert.Equal(given.Select(g => g.Id), Gadget.Where(g => g.Name.StartsWith("given")).OrderBy(g => g.Id).Pluck(g => g.Id));
        Assert.NotEqual(0, generated.Id);
        Assert.Equal("generated", Gadget.Find(generated.Id).Name);
        Assert.Equal("given3", Gadget.Find(100_003L).Name);
    }

    [Fact]
    public async Task InsertAll_MoreRowsThanOneStatementsParameterLimit_InsertsEveryRowWithItsKey()
    {
        // Gadget has five columns besides its key: the generated batch needs more than one command, and so do the keyed rows (six columns).
        var limit = Primary.Dialect.MaxParameters;
        var generated = Enumerable.Range(0, (limit / 5) + 7).Select(i => new Gadget { Name = $"g{i}", Status = "many", Rank = i }).ToList();
        var keyed = Enumerable.Range(0, (limit / 6) + 7).Select(i => new Gadget { Id = 10_000_000 + i, Name = $"k{i}", Status = "many", Rank = i }).ToList();
        var mark = LogMark();

        var inserted = await Gadget.InsertAllAsync([.. generated, .. keyed], Cancel);

        Assert.Equal(generated.Count + keyed.Count, inserted);
        Assert.True(StatementsSince(mark).Count(s => s.Contains("INSERT", StringComparison.Ordinal)) >= 4);
        var names = new Dictionary<long, string>();
        foreach (var gadget in await Gadget.AllAsync(Cancel))
        {
            names[gadget.Id] = gadget.Name;
        }

        Assert.Equal(inserted, names.Count);
        Assert.All(generated.Concat(keyed), r => Assert.Equal(r.Name, names[r.Id]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InsertAll_ARowFailingHalfWay_InsertsNothing_AndLeavesTheRecordsAsTheyWere(bool isAsync)
    {
        var limit = Primary.Dialect.MaxParameters;
        var records = Enumerable.Range(0, (limit / 5) + 10).Select(i => new Gadget { Name = $"g{i}", Status = "doomed" }).ToList();
        records[^3].Name = null!;   // NOT NULL, in the second batch
        var keyed = new[] { new Gadget { Id = 7, Name = "seven", Status = "doomed" }, new Gadget { Id = 7, Name = "seven again", Status = "doomed" } };

        await Assert.ThrowsAnyAsync<SwitchboardException>(async () => _ = isAsync ? await Gadget.InsertAllAsync(records, Cancel) : Gadget.InsertAll(records));
        await Assert.ThrowsAnyAsync<SwitchboardException>(async () => _ = isAsync ? await Gadget.InsertAllAsync(keyed, Cancel) : Gadget.InsertAll(keyed));

        Assert.Equal(0, Gadget.Count());
        Assert.All(records, r => Assert.Equal(0, r.Id));
        records[^3].Name = "fixed";
        Assert.Equal(records.Count, Gadget.InsertAll(records));
        Assert.Equal(0, Primary.Statistics.InUse);
    }

    [Fact]
    public void InsertAllUpdateAllAndDeleteAll_InATransactionThatRollsBack_LeaveNothing_AndRunOnItsConnection()
    {
        new Gadget { Name = "before", Status = "kept" }.Save();
        var observer = Fixture.Another("observer");
        using (var transaction = new Transaction(Primary))
        {
            Assert.Equal(3, Gadget.InsertAll([new Gadget { Name = "a", Status = "tx" }, new Gadget { Name = "b", Status = "tx" }, new Gadget { Name = "c", Status = "tx" }]));
            Assert.Equal(4, Gadget.Where(new { }).UpdateAll(new { Note = "inside" }));
            Assert.Equal(1, Gadget.Where(g => g.Name == "a").DeleteAll());
            Assert.Equal(["inside", "inside", "inside"], Gadget.Where(new { }).Pluck(g => g.Note));
            Assert.Equal(3, Gadget.Count());
            Assert.Equal(1, observer.Scalar<long>($"SELECT COUNT(*) FROM {Q("gadgets")}"));
            transaction.Rollback();
        }

        Assert.Equal(["before"], Gadget.Where(new { }).Pluck(g => g.Name));
        Assert.Equal(new string?[] { null }, Gadget.Where(new { }).Pluck(g => g.Note));
    }

    [Fact]
    public void InsertAll_FailingInsideAnOpenTransaction_UndoesOnlyItsOwnRows_AndTheTransactionGoesOn()
    {
        using var transaction = new Transaction(Primary);
        new Gadget { Name = "outer", Status = "tx" }.Save();

        Assert.ThrowsAny<SwitchboardException>(() => Gadget.InsertAll([new Gadget { Name = "fine", Status = "tx" }, new Gadget { Name = null!, Status = "tx" }]));
        new Gadget { Name = "outer after", Status = "tx" }.Save();
        transaction.Commit();

        Assert.Equal(["outer", "outer after"], Gadget.OrderBy(g => g.Id).Pluck(g => g.Name));
    }

    [Fact]
    public async Task SetOperations_RouteLikeEveryQuery_ByUsingAndByScope()
    {
        await SeedTwenty();
        using (Gadget.UsingConnection(EngineFixture.SecondaryName))
        {
            Gadget.InsertAll([new Gadget { Name = "s1", Status = "there", Rank = 5 }, new Gadget { Name = "s2", Status = "there", Rank = 7 }]);
            Assert.Equal(12, Gadget.Where(new { }).Sum(g => g.Rank));
        }

        var secondary = Gadget.Using(EngineFixture.SecondaryName);
        Assert.Equal(["s1", "s2"], secondary.OrderBy(g => g.Name).Pluck(g => g.Name));
        Assert.Equal(2, secondary.UpdateAll(new { Note = "moved" }));
        Assert.Equal(7, secondary.Max(g => g.Rank));
        Assert.Equal(6.0, await secondary.AverageAsync(g => g.Rank, Cancel));
        Assert.Equal(1, secondary.Where(g => g.Name == "s1").DeleteAll());
        Assert.Equal(20, Gadget.Count());
        Assert.Equal(0, Gadget.Where(g => g.Note == "moved").Count());
        Assert.Equal(210, Gadget.Where(new { }).Sum(g => g.Rank));
        Assert.Equal(["s2"], secondary.Pluck(g => g.Name));
    }

    private static async Task SeedTwenty()
    {
        await Gadget.InsertAllAsync(
            [.. Enumerable.Range(1, 20).Select(i => new Gadget { Name = $"g{i:00}", Status = i % 2 == 0 ? "even" : "odd", Price = i, Rank = i })],
            Cancel);
    }
}
