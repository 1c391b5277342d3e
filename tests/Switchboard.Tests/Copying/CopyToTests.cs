using System.ComponentModel.DataAnnotations.Schema;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Copying;

public sealed class CopyToTests : IDisposable
{
    private readonly TestDatabase _database = new();
    private readonly Connection _source;
    private readonly Connection _target;

    public CopyToTests()
    {
        _source = _database.Sqlite("source");
        _target = _database.Sqlite("target");
        foreach (var connection in new[] { _source, _target })
        {
            connection.Execute("CREATE TABLE copy_items (Id INTEGER PRIMARY KEY AUTOINCREMENT, Name TEXT NOT NULL, Amount INTEGER NOT NULL)");
        }
    }

    [Fact]
    public void CopyTo_TheConnectionItReadsFrom_IsRefusedNamingTheFix()
    {
        var failure = Assert.Throws<ArgumentException>(() => CopyItem.Using("source").CopyTo("source"));

        Assert.Contains("onto the connection they are read from", failure.Message, StringComparison.Ordinal);
        Assert.Equal("connectionName", failure.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_000_001)]
    public async Task CopyToAsync_WithABatchSizeOutOfRange_IsRefusedNamingTheOption(int batchSize)
    {
        var failure = await Assert.ThrowsAsync<ArgumentException>(() => CopyItem.Using("source").CopyToAsync("target", new CopyOptions { BatchSize = batchSize }, TestContext.Current.CancellationToken));

        Assert.Contains("CopyOptions.BatchSize", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CopyTo_ToAnEngineWithoutABulkPath_SaysSo_AndWritesNothing()
    {
        _database.Registry.RegisterDriver(new FakeDriver("nobulk"));
        _database.Registry.Configure("fake", new ConnectionConfig { Driver = "nobulk", Database = "x" });
        _source.Execute("INSERT INTO copy_items (Name, Amount) VALUES ('a', 1)");

        var failure = Assert.Throws<NotSupportedException>(() => CopyItem.Using("source").CopyTo("fake"));

        Assert.Contains("no bulk write path", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CopyTo_WhenASourceRowCannotBeRead_NamesTheRowAndKeyOnTheSourceSide_AndLeavesTheTargetEmpty()
    {
        _source.Execute("INSERT INTO copy_items (Id, Name, Amount) VALUES (1, 'a', 1), (2, 'b', 2), (3, 'secret', 9999999999), (4, 'd', 4)");

        var failure = Assert.Throws<SwitchboardException>(() => CopyItem.Using("source").OrderBy(i => i.Id).CopyTo("target", new CopyOptions { BatchSize = 2 }));

        Assert.Contains("failed at row 3 (key 3), reading from 'source'", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", failure.Message, StringComparison.Ordinal);
        Assert.Equal("source", failure.ConnectionName);
        Assert.Equal(0, _target.Scalar<long>("SELECT COUNT(*) FROM copy_items"));
    }

    [Fact]
    public async Task CopyToAsync_CopiesTheQuerysRowsOnly_InItsOrder_WithKeys()
    {
        for (var i = 1; i <= 10; i++)
        {
            _source.Execute("INSERT INTO copy_items (Id, Name, Amount) VALUES (@id, @name, @amount)", new { id = i * 10, name = "n" + i, amount = i });
        }

        var result = await CopyItem.Using("source").Where(i => i.Amount > 3).OrderByDescending(i => i.Id).Limit(5).CopyToAsync("target", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(5, result.Rows);
        Assert.True(result.Elapsed > TimeSpan.Zero);
        Assert.Equal([60L, 70, 80, 90, 100], CopyItem.Using("target").OrderBy(i => i.Id).All().Select(i => i.Id));
    }

    [Fact]
    public void CopyTable_WhenTheTargetLacksAColumn_NamesIt_AndWritesNothing()
    {
        _source.Execute("ALTER TABLE copy_items ADD COLUMN Extra TEXT");
        _source.Execute("INSERT INTO copy_items (Name, Amount, Extra) VALUES ('a', 1, 'x')");

        var failure = Assert.Throws<ArgumentException>(() => _source.CopyTable("copy_items", "target"));

        Assert.Contains("Column 'Extra' of table 'copy_items' has no column of that name", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, _target.Scalar<long>("SELECT COUNT(*) FROM copy_items"));
    }

    public void Dispose() => _database.Dispose();

    [Table("copy_items")]
    public sealed class CopyItem : ActiveRecord<CopyItem>
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public int Amount { get; set; }
    }
}
