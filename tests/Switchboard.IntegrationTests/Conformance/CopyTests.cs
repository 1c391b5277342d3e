using Switchboard.IntegrationTests.Conformance.Engines;
using Switchboard.IntegrationTests.Conformance.Models;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>
/// Streaming copy with this engine as the target and as the source, the other side a SQLite file: every row and key
/// arrives, generated keys continue past the copied ones, a failure or a cancellation half way leaves the target empty,
/// progress is reported, and memory does not grow with the rows.
/// </summary>
public abstract class CopyTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    private const string SqliteName = "copy_sqlite";

    [Fact]
    public void CopyTo_FromSqlite_WritesEveryRowWithItsKey_InBatches_AndReportsProgress()
    {
        var sqlite = Sqlite();
        Seed(sqlite, 25);
        var progress = new Reports();

        var result = Gadget.Using(SqliteName).OrderBy(g => g.Id).CopyTo(EngineFixture.PrimaryName, new CopyOptions { BatchSize = 7, Progress = progress });

        Assert.Equal(25, result.Rows);
        Assert.Equal([7, 14, 21, 25], progress.Values);
        AssertSameGadgets(Gadget.Using(SqliteName).OrderBy(g => g.Id).All(), Gadget.OrderBy(g => g.Id).All());
    }

    [Fact]
    public async Task CopyToAsync_IntoSqlite_FromThisEngine_KeepsKeysAndNulls()
    {
        var sqlite = Sqlite();
        for (var i = 0; i < 12; i++)
        {
            await new Gadget { Name = "g" + i, Status = i % 2 == 0 ? "even" : "odd", Price = i + 0.25m, Rank = i, Note = i % 3 == 0 ? null : "n" + i }.SaveAsync(Cancel);
        }

        var result = await Gadget.Where(g => g.Status == "even").CopyToAsync(SqliteName, cancellationToken: Cancel);

        Assert.Equal(6, result.Rows);
        AssertSameGadgets(Gadget.Where(g => g.Status == "even").OrderBy(g => g.Id).All(), Gadget.Using(SqliteName).OrderBy(g => g.Id).All());
        Assert.Equal(6, sqlite.Scalar<long>("SELECT COUNT(*) FROM gadgets"));
    }

    [Fact]
    public void Save_AfterACopy_GetsAKeyPastTheCopiedOnes()
    {
        var sqlite = Sqlite();
        sqlite.Execute("INSERT INTO gadgets (id, name, status) VALUES (41, 'a', 's'), (42, 'b', 's'), (1000, 'c', 's')");

        Gadget.Using(SqliteName).CopyTo(EngineFixture.PrimaryName);
        var next = new Gadget { Name = "after", Status = "new" };
        next.Save();

        // On PostgreSQL the BIGSERIAL's sequence was moved past 1000; without it this Save would take key 1 and the
        // next ones would collide with the copied keys.
        Assert.True(next.Id > 1000, $"The key generated after the copy is {next.Id}, not past the copied keys.");
    }

    [Fact]
    public async Task CopyTo_FailingHalfWay_LeavesTheTargetEmpty_AndNamesTheRowByNumberAndKey()
    {
        var sqlite = Sqlite(relaxed: true);
        for (var i = 1; i <= 60; i++)
        {
            // Row 45 has no name: the target's NOT NULL refuses it, after two batches were already sent.
            sqlite.Execute("INSERT INTO gadgets (id, name, status, price, rank) VALUES (@id, @name, 'secret-status', 1, 1)", new { id = i * 10, name = i == 45 ? null : "secret-" + i });
        }

        var failure = await Assert.ThrowsAnyAsync<SwitchboardException>(() =>
            Gadget.Using(SqliteName).OrderBy(g => g.Id).CopyToAsync(EngineFixture.PrimaryName, new CopyOptions { BatchSize = 20 }, Cancel));

        Assert.Contains("row 45", failure.Message, StringComparison.Ordinal);
        Assert.Contains("key 450", failure.Message, StringComparison.Ordinal);
        Assert.Contains("rolled back", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, Gadget.Count());
        Assert.Equal(0, Primary.Scalar<long>("SELECT COUNT(*) FROM " + Q("gadgets")));
    }

    [Fact]
    public async Task CopyToAsync_Cancelled_LeavesTheTargetUnchanged_AndItsPoolUsable()
    {
        var sqlite = Sqlite();
        Seed(sqlite, 40);
        new Gadget { Name = "already there", Status = "kept" }.Save();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var progress = new Reports(rows =>
        {
            if (rows >= 10)
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Gadget.Using(SqliteName).CopyToAsync(EngineFixture.PrimaryName, new CopyOptions { BatchSize = 10, Progress = progress }, cancel.Token));

        Assert.Equal(["already there"], Gadget.All().Select(g => g.Name));
        Assert.Equal(10, progress.Values[0]);
    }

    [Fact]
    public async Task CopyToAsync_FromThisEngine_Cancelled_LeavesTheTargetEmpty_AndTheSourceUsable()
    {
        var sqlite = Sqlite();
        await Primary.ExecuteAsync(
            "INSERT INTO " + Q("gadgets") + " (" + Q("name") + ", " + Q("status") + ") VALUES " + string.Join(", ", Enumerable.Range(0, 300).Select(i => $"('g{i}', 's')")),
            cancellationToken: Cancel);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var progress = new Reports(_ => cancel.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Gadget.OrderBy(g => g.Id).CopyToAsync(SqliteName, new CopyOptions { BatchSize = 50, Progress = progress }, cancel.Token));

        Assert.Equal(0, sqlite.Scalar<long>("SELECT COUNT(*) FROM gadgets"));
        Assert.Equal(300, await Gadget.CountAsync(Cancel));
        Assert.Equal([50L], progress.Values);
    }

    [Fact]
    public void CopyTo_TypeSamples_ThroughSqliteAndBack_KeepsEveryValue()
    {
        Sqlite();
        var full = TypeSample.Full();
        full.Save();

        TypeSample.Where(t => t.Id == full.Id).CopyTo(SqliteName);
        TypeSample.Using(SqliteName).CopyTo(EngineFixture.SecondaryName);

        var back = TypeSample.Using(EngineFixture.SecondaryName).Find(full.Id);
        var original = TypeSample.Find(full.Id);
        foreach (var property in typeof(TypeSample).GetProperties())
        {
            var (want, got) = (property.GetValue(original), property.GetValue(back));
            var same = want is byte[] bytes ? got is byte[] other && bytes.AsSpan().SequenceEqual(other) : Equals(want, got);
            Assert.True(same, $"{property.Name}: {want} became {got}");
        }
    }

    [Fact]
    public void CopyTable_BothWays_MatchesColumnsByName()
    {
        var sqlite = Sqlite();
        Seed(sqlite, 9);

        var into = Fixture.Registry.GetConnection(SqliteName).CopyTable("gadgets", EngineFixture.PrimaryName);
        sqlite.Execute("DELETE FROM gadgets");
        var back = Primary.CopyTable("gadgets", SqliteName);

        Assert.Equal(9, into.Rows);
        Assert.Equal(9, back.Rows);
        AssertSameGadgets(Gadget.OrderBy(g => g.Id).All(), Gadget.Using(SqliteName).OrderBy(g => g.Id).All());
    }

    [Fact]
    public async Task CopyToAsync_FiftyThousandRows_HoldsNoMoreMemoryThanABatch()
    {
        var sqlite = Sqlite();
        const int rows = 50_000;
        var text = new string('m', 190);
        using (var transaction = sqlite.BeginTransaction())
        {
            for (var i = 1; i <= rows; i++)
            {
                await sqlite.ExecuteAsync("INSERT INTO gadgets (id, name, status, price, rank) VALUES (@id, @name, 'bulk', 1, @id)", new { id = i, name = text }, Cancel);
            }

            transaction.Commit();
        }

        // After each batch, the memory still reachable is measured. A copy that kept its rows (a list, a buffer of the
        // whole result) would hold about 25 MB more at the end than after the first batch (50,000 records with a 190-character name); a streaming one holds about one batch.
        var retained = new List<long>();
        var progress = new Reports(_ => retained.Add(GC.GetTotalMemory(forceFullCollection: true)));
        var result = await Gadget.Using(SqliteName).CopyToAsync(EngineFixture.PrimaryName, new CopyOptions { BatchSize = 5000, Progress = progress }, Cancel);

        Assert.Equal(rows, result.Rows);
        Assert.Equal(rows, Gadget.Count());
        Assert.True(retained.Count >= 9, $"Progress was reported {retained.Count} times.");
        var growth = retained.Max() - retained[0];
        Assert.True(growth < 12_000_000, $"Memory reachable during the copy grew by {growth:N0} bytes between the first and the largest batch.");
    }

    private Connection Sqlite(bool relaxed = false)
    {
        var file = Path.Combine(Path.GetTempPath(), "switchboard-copy", Guid.NewGuid().ToString("N") + ".db");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var connection = Fixture.Registry.Configure(SqliteName, new ConnectionConfig { Driver = "sqlite", Database = file, PoolSize = 2 }, replace: true);
        if (relaxed)
        {
            connection.Execute("CREATE TABLE gadgets (id INTEGER, name TEXT, status TEXT, price NUMERIC(12,2), rank INTEGER, note TEXT)");
        }
        else
        {
            foreach (var statement in new SqliteEngine().SuiteTables)
            {
                connection.Execute(statement);
            }
        }

        return connection;
    }

    private static void Seed(Connection sqlite, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            sqlite.Execute(
                "INSERT INTO gadgets (id, name, status, price, rank, note) VALUES (@id, @name, 'seeded', @price, @rank, @note)",
                new { id = i * 3, name = "gadget " + i, price = i + 0.5m, rank = i, note = i % 4 == 0 ? null : "note " + i });
        }
    }

    private static void AssertSameGadgets(List<Gadget> expected, List<Gadget> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(
                (expected[i].Id, expected[i].Name, expected[i].Status, expected[i].Price, expected[i].Rank, expected[i].Note),
                (actual[i].Id, actual[i].Name, actual[i].Status, actual[i].Price, actual[i].Rank, actual[i].Note));
        }
    }

    /// <summary>Progress reports, received synchronously in the copy's flow (Progress&lt;T&gt; would post them elsewhere).</summary>
    private sealed class Reports(Action<long>? onReport = null) : IProgress<long>
    {
        public List<long> Values { get; } = [];

        public void Report(long value)
        {
            Values.Add(value);
            onReport?.Invoke(value);
        }
    }
}

/// <summary>
/// The copy tests run one class at a time, after the parallel ones: the bounded-memory test measures the memory the whole
/// process holds, which tests running beside it would fill.
/// </summary>
[CollectionDefinition(nameof(CopyTestsCollection), DisableParallelization = true)]
public sealed class CopyTestsCollection;
