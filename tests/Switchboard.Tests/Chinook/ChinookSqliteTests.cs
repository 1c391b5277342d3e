using Switchboard.Tests.Support;

namespace Switchboard.Tests.Chinook;

/// <summary>
/// Facts of the Chinook dataset that must hold on every engine alike: counts, sums, unicode and dates, read both with
/// raw SQL and through models. Here on a SQLite file loaded from Chinook_Sqlite.sql.
/// </summary>
public sealed class ChinookSqliteTests : IClassFixture<ChinookSqliteTests.Database>
{
    private readonly Database _database;

    public ChinookSqliteTests(Database database) => _database = database;

    [Theory]
    [InlineData("Artist", 275)]
    [InlineData("Album", 347)]
    [InlineData("Track", 3503)]
    [InlineData("Customer", 59)]
    [InlineData("Invoice", 412)]
    [InlineData("InvoiceLine", 2240)]
    [InlineData("Genre", 25)]
    [InlineData("MediaType", 5)]
    [InlineData("Playlist", 18)]
    [InlineData("PlaylistTrack", 8715)]
    [InlineData("Employee", 8)]
    public void RowCounts_MatchTheDataset(string table, long count)
    {
        var connection = _database.Connection;
        Assert.Equal(count, connection.Scalar<long>($"SELECT COUNT(*) FROM {connection.Dialect.QuoteIdentifier(table)}"));
    }

    [Fact]
    public void ModelCounts_MatchTheDataset()
    {
        using var scope = _database.Activate();
        Assert.Equal(275, Artist.Count());
        Assert.Equal(3503, Track.Count());
        Assert.Equal(412, Invoice.Count());
        Assert.Equal(1069, Track.Where(t => t.Milliseconds > 300000).Count());
    }

    [Fact]
    public void InvoiceTotals_SumExactlyAsDecimals()
    {
        using var scope = _database.Activate();
        Assert.Equal(2328.60m, Invoice.All().Sum(i => i.Total));
        Assert.Equal(156.48m, Invoice.Where(i => i.BillingCountry == "Germany").All().Sum(i => i.Total));
    }

    [Fact]
    public void Unicode_RoundTripsThroughModelsAndParameters()
    {
        using var scope = _database.Activate();
        var luis = Customer.Find(1);
        Assert.Equal(("Luís", "Gonçalves", "São José dos Campos"), (luis.FirstName, luis.LastName, luis.City));
        Assert.Equal("Bjørn", Customer.Find(4).FirstName);
        var frantisek = Customer.Where(c => c.LastName == "Wichterlová").All().Single();
        Assert.Equal("František", frantisek.FirstName);
        Assert.Equal("Prague", frantisek.City);
        Assert.Equal("AC/DC", Artist.Find(1).Name);
    }

    [Fact]
    public void Dates_CompareAndReadBackAsDateTimes()
    {
        using var scope = _database.Activate();
        var first = Invoice.OrderBy(i => i.InvoiceDate).First();
        var last = Invoice.OrderByDescending(i => i.InvoiceDate).First();
        Assert.Equal(new DateTime(2021, 1, 1), first.InvoiceDate);
        Assert.Equal(new DateTime(2025, 12, 22), last.InvoiceDate);
        var from = new DateTime(2022, 1, 1);
        var to = new DateTime(2023, 1, 1);
        Assert.Equal(83, Invoice.Where(i => i.InvoiceDate >= from && i.InvoiceDate < to).Count());
    }

    [Fact]
    public void Paging_WalksTheWholeTableWithoutGapsOrRepeats()
    {
        using var scope = _database.Activate();
        var seen = new List<long>();
        for (var offset = 0; ; offset += 100)
        {
            var page = Artist.OrderBy(a => a.ArtistId).Offset(offset).Limit(100).All();
            if (page.Count == 0)
            {
                break;
            }

            seen.AddRange(page.Select(a => a.ArtistId));
        }

        Assert.Equal(275, seen.Count);
        Assert.Equal(seen.Order(), seen);
        Assert.Equal(275, seen.Distinct().Count());
    }

    /// <summary>Loads the dataset once for the class into a SQLite file.</summary>
    public sealed class Database : IDisposable
    {
        private readonly TestDatabase _db = new(activate: false);

        public Database()
        {
            Connection = _db.Registry.Configure("chinook", new ConnectionConfig { Driver = "sqlite", Database = _db.File("chinook.db") });
            var script = File.ReadAllText(SharedData.ChinookScript("Sqlite"));
            Connection.Transaction(() => Connection.Execute(script));
        }

        public Connection Connection { get; }

        public IDisposable Activate() => _db.Registry.Activate();

        public void Dispose() => _db.Dispose();
    }
}
