using Switchboard.IntegrationTests.Conformance.Models;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>
/// IN lists of any length find the same rows: 3 values, 5,000 (past SQL Server's 2,100 parameters and Oracle's 1,000
/// items) and 70,000 (past SQLite's 32,766 and PostgreSQL's 65,535 parameters), through a captured list, an anonymous
/// object and raw SQL, run twice with other values of the same count, and with a null among them.
/// </summary>
public abstract class LongInListTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    [Theory]
    [InlineData(3)]
    [InlineData(5_000)]
    [InlineData(70_000)]
    public async Task InLists_OfAnyLength_FindTheSameRows(int count)
    {
        await SeedTen();

        foreach (var firstRank in new[] { 1, 2 })
        {
            // Two ranks of rows first and one last (every other rank from firstRank), ranks no row has between them: each
            // run matches rows of its own, and a list cut short at either end would miss one.
            var ranks = Enumerable.Range(0, count).Select(i => i < 2 ? firstRank + (2 * i) : i == count - 1 ? firstRank + 4 : 1_000 + i).ToArray();
            var expected = ranks.Where(r => r <= 10).Order().ToList();
            var names = ranks.Select(r => $"g{r:00}").ToList();

            Assert.Equal(expected, Ranks(Gadget.Where(g => ranks.Contains(g.Rank))));
            Assert.Equal(10 - expected.Count, await Gadget.Where(g => !ranks.Contains(g.Rank)).CountAsync(Cancel));
            Assert.Equal(expected, Ranks(Gadget.Where(g => names.Contains(g.Name))));
            Assert.Equal(expected, Ranks(Gadget.Where(new { rank = ranks })));
            Assert.Equal(expected, Ranks(Gadget.Where($"{Q("rank")} IN {P("ranks")}", new { ranks })));

            var raw = await Primary.ExecuteRawAsync(
                $"SELECT {Q("rank")} FROM {Q("gadgets")} WHERE {Q("name")} IN ({P("names")}) ORDER BY {Q("rank")}", new { names }, Cancel);
            Assert.Equal(expected, raw.Rows.Select(row => Convert.ToInt32(row["rank"], System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5_000)]
    public async Task InLists_WithANull_MatchNullAsCSharpDoes(int count)
    {
        await SeedTen();
        await new Gadget { Name = "bare", Status = "n", Rank = 11 }.SaveAsync(Cancel);
        var notes = Enumerable.Range(0, count).Select(i => i == 0 ? null : i == 1 ? "note 3" : "absent " + i).ToList();

        Assert.Equal([3, 11], Ranks(Gadget.Where(g => notes.Contains(g.Note))));
        Assert.Equal([1, 2, 4, 5, 6, 7, 8, 9, 10], Ranks(Gadget.Where(g => !notes.Contains(g.Note))));
        Assert.Equal([3, 11], Ranks(Gadget.Where(new { note = notes })));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1_500)]
    public async Task InLists_OfDecimalsAndLongs_FindTheSameRows(int count)
    {
        await SeedTen();
        var prices = Enumerable.Range(0, count).Select(i => i < 2 ? (i * 4) + 2.25m : 5_000.5m + i).ToArray();
        var ids = (await Gadget.OrderBy(g => g.Rank).AllAsync(Cancel)).Select(g => g.Id).Take(3).Concat(Enumerable.Range(0, count).Select(i => -1L - i)).ToList();

        Assert.Equal([2, 6], Ranks(Gadget.Where(g => prices.Contains(g.Price))));
        Assert.Equal([1, 2, 3], Ranks(Gadget.Where(g => ids.Contains(g.Id))));
    }

    private static List<int> Ranks(Query<Gadget> query) => [.. query.OrderBy(g => g.Rank).All().Select(g => g.Rank)];

    private static async Task SeedTen()
    {
        for (var i = 1; i <= 10; i++)
        {
            await new Gadget { Name = $"g{i:00}", Status = "s", Rank = i, Price = i + 0.25m, Note = $"note {i}" }.SaveAsync(Cancel);
        }
    }
}
