using System.ComponentModel.DataAnnotations.Schema;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Querying;

/// <summary>What the set operations refuse before sending anything, and the shapes the conformance suite does not cover.</summary>
public sealed class SetOperationInputTests : IDisposable
{
    private readonly TestDatabase _database = new();
    private readonly Connection _primary;

    public SetOperationInputTests()
    {
        _primary = _database.Sqlite("primary", echo: true);
        _primary.Execute("CREATE TABLE meters (id INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT NOT NULL, reading NUMERIC(12,4) NOT NULL, taken TEXT NOT NULL, doubled INTEGER GENERATED ALWAYS AS (reading * 2) VIRTUAL)");
        _primary.Execute("CREATE TABLE tickets (id INTEGER PRIMARY KEY AUTOINCREMENT)");
    }

    [Fact]
    public void UpdateAll_OfAColumnTheDatabaseComputes_IsRefusedNamingIt_AndSendsNothing()
    {
        var mark = _database.Logs.Entries.Count;

        var error = Assert.Throws<ArgumentException>(() => Meter.Where(new { }).UpdateAll(new { Doubled = 3 }));
        var twice = Assert.Throws<ArgumentException>(() => Meter.Where(new { }).UpdateAll(new Dictionary<string, object?> { ["Label"] = "a", ["label"] = "b" }));

        Assert.Contains("Meter.Doubled", error.Message, StringComparison.Ordinal);
        Assert.Contains("computed", error.Message, StringComparison.Ordinal);
        Assert.Contains("Meter.Label is given twice", twice.Message, StringComparison.Ordinal);
        // Only the catalog read of the model's first use (naming: auto) reaches the server.
        Assert.DoesNotContain(_database.Logs.Entries.Skip(mark), e => e.Category == "Switchboard.Sql" && !e.Message.Contains("pragma_table_xinfo", StringComparison.Ordinal));
    }

    [Fact]
    public void SumAndAverage_OfANonNumericColumn_AreRefusedNamingTheType()
    {
        var sum = Assert.Throws<ArgumentException>(() => Meter.Where(new { }).Sum(m => m.Taken));
        var average = Assert.Throws<ArgumentException>(() => Meter.Where(new { }).Average(m => m.Taken));

        Assert.Contains("DateTime", sum.Message, StringComparison.Ordinal);
        Assert.Equal("column", average.ParamName);
    }

    [Fact]
    public void Sum_WithAFractionCastToAnInteger_IsAnErrorNotATruncatedValue()
    {
        Meter.InsertAll([new Meter { Label = "a", Reading = 1.5m, Taken = DateTime.UnixEpoch }, new Meter { Label = "b", Reading = 2m, Taken = DateTime.UnixEpoch }]);

        Assert.Equal(3.5m, Meter.Where(new { }).Sum(m => m.Reading));
        Assert.Throws<InvalidOperationException>(() => Meter.Where(new { }).Sum(m => (int)m.Reading));
        Assert.Equal(DateTime.UnixEpoch, Meter.Where(new { }).Max(m => m.Taken));
        Assert.Equal(3, Meter.Where(new { }).Min(m => m.Doubled));
    }

    [Fact]
    public void InsertAll_OfAModelWithOnlyAGeneratedKey_InsertsEachRowWithItsKey()
    {
        var tickets = Enumerable.Range(0, 3).Select(_ => new Ticket()).ToList();

        Assert.Equal(3, Ticket.InsertAll(tickets));

        Assert.Equal([1L, 2L, 3L], tickets.Select(t => t.Id));
        Assert.Equal(3, Ticket.Count());
    }

    [Fact]
    public void InsertAll_WithANullRecord_IsRefusedBeforeAnythingIsSent()
    {
        var error = Assert.Throws<ArgumentException>(() => Meter.InsertAll([new Meter { Label = "a" }, null!]));

        Assert.Contains("record 1 is null", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Meter.Count());
        Assert.Throws<ArgumentNullException>(() => Meter.InsertAll(null!));
    }

    public void Dispose() => _database.Dispose();

    [Connection("primary")]
    [Table("meters")]
    public sealed class Meter : ActiveRecord<Meter>
    {
        [Column("id")]
        public long Id { get; set; }

        [Column("label")]
        public string Label { get; set; } = "";

        [Column("reading")]
        public decimal Reading { get; set; }

        [Column("taken")]
        public DateTime Taken { get; set; }

        [Column("doubled")]
        [DatabaseGenerated(DatabaseGeneratedOption.Computed)]
        public int Doubled { get; set; }
    }

    [Connection("primary")]
    [Table("tickets")]
    public sealed class Ticket : ActiveRecord<Ticket>
    {
        [Column("id")]
        public long Id { get; set; }
    }
}
