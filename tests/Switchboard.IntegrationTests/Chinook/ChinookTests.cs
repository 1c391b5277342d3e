using System.Text;

namespace Switchboard.IntegrationTests.Chinook;

/// <summary>
/// Facts of the Chinook dataset that must hold on every engine alike: counts, sums, unicode, dates and paging, read both
/// with raw SQL and through models, each engine loaded from its own script.
/// </summary>
public abstract class ChinookTests<TFixture> : IClassFixture<TFixture>, IDisposable
    where TFixture : ChinookFixture
{
    private readonly IDisposable _activation;

    protected ChinookTests(TFixture fixture)
    {
        fixture.Require();
        Fixture = fixture;
        _activation = fixture.Registry.Activate();
    }

    protected TFixture Fixture { get; }

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
        var connection = Fixture.Connection;

        Assert.Equal(count, connection.Scalar<long>($"SELECT COUNT(*) FROM {connection.Dialect.QuoteIdentifier(Name(table))}"));
    }

    [Fact]
    public void ModelCounts_MatchTheDataset()
    {
        Assert.Equal(275, Artist.Count());
        Assert.Equal(3503, Track.Count());
        Assert.Equal(412, Invoice.Count());
        Assert.Equal(59, Customer.Count());
        Assert.Equal(1069, Track.Where(t => t.Milliseconds > 300000).Count());
    }

    [Fact]
    public void InvoiceTotals_SumExactlyAsDecimals()
    {
        var connection = Fixture.Connection;
        var total = connection.Dialect.QuoteIdentifier(Name("Total"));
        var invoice = connection.Dialect.QuoteIdentifier(Name("Invoice"));

        Assert.Equal(2328.60m, Invoice.All().Sum(i => i.Total));
        Assert.Equal(156.48m, Invoice.Where(i => i.BillingCountry == "Germany").All().Sum(i => i.Total));
        Assert.Equal(156.48m, Invoice.Where(new { BillingCountry = "Germany" }).All().Sum(i => i.Total));
        Assert.Equal(2328.60m, connection.Scalar<decimal>($"SELECT SUM({total}) FROM {invoice}"));
    }

    [Fact]
    public void Unicode_RoundTripsThroughModelsAndParameters()
    {
        var luis = Customer.Find(1);
        var frantisek = Customer.Where(c => c.LastName == "Wichterlová").All().Single();

        Assert.Equal(("Luís", "Gonçalves", "São José dos Campos"), (luis.FirstName, luis.LastName, luis.City));
        Assert.Equal("Bjørn", Customer.Find(4).FirstName);
        Assert.Equal(("František", "Prague"), (frantisek.FirstName, frantisek.City));
        Assert.Equal(1, Customer.Where(c => c.City == "São José dos Campos").Count());
        Assert.Equal("AC/DC", Artist.Find(1).Name);
    }

    [Fact]
    public void Dates_CompareAndReadBackAsDateTimes()
    {
        var first = Invoice.OrderBy(i => i.InvoiceDate).OrderBy(i => i.InvoiceId).First();
        var last = Invoice.OrderByDescending(i => i.InvoiceDate).First();
        var from = new DateTime(2022, 1, 1);
        var to = new DateTime(2023, 1, 1);

        Assert.Equal(new DateTime(2021, 1, 1), first.InvoiceDate);
        Assert.Equal(new DateTime(2025, 12, 22), last.InvoiceDate);
        Assert.Equal(83, Invoice.Where(i => i.InvoiceDate >= from && i.InvoiceDate < to).Count());
    }

    [Fact]
    public async Task Paging_WalksTheWholeTableWithoutGapsOrRepeats()
    {
        var seen = new List<long>();
        for (var offset = 0; ; offset += 100)
        {
            var page = await Artist.OrderBy(a => a.ArtistId).Offset(offset).Limit(100).AllAsync(TestContext.Current.CancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            seen.AddRange(page.Select(a => a.ArtistId));
        }

        Assert.Equal(Enumerable.Range(1, 275).Select(i => (long)i), seen);
    }

    public void Dispose()
    {
        _activation.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A declared name as the engine's script spells it (<c>InvoiceLine</c>, or <c>invoice_line</c> on PostgreSQL).</summary>
    private string Name(string declared)
    {
        if (Fixture.Engine.ChinookNaming != NamingConvention.SnakeCase)
        {
            return declared;
        }

        var snake = new StringBuilder();
        foreach (var c in declared)
        {
            if (char.IsUpper(c) && snake.Length > 0)
            {
                snake.Append('_');
            }

            snake.Append(char.ToLowerInvariant(c));
        }

        return snake.ToString();
    }
}
