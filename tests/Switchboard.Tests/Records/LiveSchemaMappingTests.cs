using System.ComponentModel.DataAnnotations.Schema;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Records;

/// <summary>
/// <c>naming: auto</c> (the default) on SQLite: tables and columns are found in the catalog once per (model, connection),
/// exactly, else ignoring case and underscores; what does not fit is a <see cref="MappingException"/> naming the fix.
/// </summary>
public class LiveSchemaMappingTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SnakeCaseTable_MapsPascalCaseProperties_WithNoNamingKey(bool isAsync)
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary", echo: true);
        connection.Execute("CREATE TABLE invoice_line (invoice_line_id INTEGER PRIMARY KEY, unit_price NUMERIC(10,2) NOT NULL, track_name TEXT)");

        var line = new InvoiceLine { UnitPrice = 0.99m, TrackName = "Balls to the Wall" };
        if (isAsync)
        {
            await line.SaveAsync(TestContext.Current.CancellationToken);
        }
        else
        {
            line.Save();
        }

        var found = isAsync ? await InvoiceLine.FindAsync(line.InvoiceLineId, TestContext.Current.CancellationToken) : InvoiceLine.Find(line.InvoiceLineId);
        Assert.Equal((0.99m, "Balls to the Wall"), (found.UnitPrice, found.TrackName));
        Assert.Equal(
            "SELECT \"invoice_line_id\", \"unit_price\", \"track_name\" FROM \"invoice_line\" WHERE \"unit_price\" > @sb_w0",
            InvoiceLine.Where(l => l.UnitPrice > 0.5m).ToSql());
        Assert.Equal("Balls to the Wall", connection.Scalar<string>("SELECT track_name FROM invoice_line"));
    }

    [Fact]
    public void CatalogIsRead_OncePerModelAndConnection()
    {
        using var db = new TestDatabase();
        var first = db.Sqlite("primary", echo: true);
        var second = db.Sqlite("secondary", echo: true);
        foreach (var connection in new[] { first, second })
        {
            connection.Execute("CREATE TABLE invoice_line (invoice_line_id INTEGER PRIMARY KEY, unit_price NUMERIC(10,2) NOT NULL, track_name TEXT)");
        }

        for (var i = 0; i < 5; i++)
        {
            new InvoiceLine { UnitPrice = i }.Save();
            _ = InvoiceLine.All();
            _ = InvoiceLine.Using("secondary").Count();
        }

        var catalogReads = db.Logs.Category("Switchboard.Sql").Where(e => e.Message.Contains("pragma_table_xinfo", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, catalogReads.Count);
        Assert.Single(catalogReads, e => e.Message.StartsWith("[primary]", StringComparison.Ordinal));
        Assert.Single(catalogReads, e => e.Message.StartsWith("[secondary]", StringComparison.Ordinal));
    }

    [Fact]
    public void QuotedMixedCaseTable_IsFoundExactly()
    {
        using var db = new TestDatabase();
        db.Sqlite("primary").Execute("CREATE TABLE \"OrderLine\" (\"OrderLineId\" INTEGER PRIMARY KEY, \"Quantity\" INTEGER NOT NULL)");

        new OrderLine { Quantity = 3 }.Save();

        Assert.Equal(3, OrderLine.First().Quantity);
        Assert.Equal("SELECT \"OrderLineId\", \"Quantity\" FROM \"OrderLine\"", OrderLine.Using("primary").ToSql());
    }

    [Fact]
    public void PropertyMatchingTwoColumns_IsRefused_NamingBoth()
    {
        using var db = new TestDatabase();
        db.Sqlite("primary").Execute("CREATE TABLE membership (id INTEGER PRIMARY KEY, user_id INTEGER, userid INTEGER)");

        var error = Assert.Throws<MappingException>(() => Membership.Count());

        Assert.Equal((typeof(Membership), "UserId", "membership", "primary"), (error.Model, error.Property, error.Table, error.ConnectionName));
        Assert.Contains("user_id", error.Message, StringComparison.Ordinal);
        Assert.Contains("userid", error.Message, StringComparison.Ordinal);
        Assert.Contains("[Column(", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PropertyWithoutColumn_IsRefused_ListingTheTablesColumns()
    {
        using var db = new TestDatabase();
        db.Sqlite("primary").Execute("CREATE TABLE membership (id INTEGER PRIMARY KEY, member INTEGER)");

        var error = Assert.Throws<MappingException>(() => new Membership().Save());

        Assert.Equal("UserId", error.Property);
        Assert.Contains("Membership.UserId", error.Message, StringComparison.Ordinal);
        Assert.Contains("id, member", error.Message, StringComparison.Ordinal);
        Assert.Contains("'primary'", error.Message, StringComparison.Ordinal);
        Assert.Contains("[NotMapped]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MissingTable_IsRefused_AndNotRemembered_SoCreatingItThenWorks(bool isAsync)
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary");

        var error = isAsync
            ? await Assert.ThrowsAsync<MappingException>(() => Membership.CountAsync(TestContext.Current.CancellationToken))
            : Assert.Throws<MappingException>(() => Membership.Count());
        Assert.Null(error.Property);
        Assert.Equal("Membership", error.Table);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("Create the table", error.Message, StringComparison.Ordinal);

        connection.Execute("CREATE TABLE Memberships_Unrelated (id INTEGER PRIMARY KEY)");
        connection.Execute("CREATE TABLE membership (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL)");
        new Membership { UserId = 7 }.Save();

        Assert.Equal(7, (isAsync ? await Membership.FirstAsync(TestContext.Current.CancellationToken) : Membership.First()).UserId);
    }

    [Fact]
    public void NotMappedPropertiesAndExtraColumns_AreFine()
    {
        using var db = new TestDatabase();
        db.Sqlite("primary").Execute("CREATE TABLE membership (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, joined TEXT DEFAULT 'today', note TEXT)");

        new Membership { UserId = 1, Scratch = "not stored" }.Save();

        var loaded = Membership.First();
        Assert.Equal((1L, (string?)null), (loaded.UserId, loaded.Scratch));
    }

    [Fact]
    public void TwoTablesMatchingOneModel_AreRefused_NamingBoth()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary");
        connection.Execute("CREATE TABLE order_line (id INTEGER PRIMARY KEY)");
        connection.Execute("CREATE TABLE orderline_ (id INTEGER PRIMARY KEY)");

        var error = Assert.Throws<MappingException>(() => OrderLine.Count());

        Assert.Contains("order_line", error.Message, StringComparison.Ordinal);
        Assert.Contains("orderline_", error.Message, StringComparison.Ordinal);
        Assert.Contains("[Table(", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FirstUseInsideATransaction_ReadsTheCatalogOnTheTransactionsConnection()
    {
        // One connection in the pool: a catalog read that rented another would wait for the transaction's and time out.
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary", poolSize: 1, poolTimeoutSeconds: 1);

        using (var transaction = connection.BeginTransaction())
        {
            // Created inside the transaction, so only its connection sees it yet.
            connection.Execute("CREATE TABLE membership (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL)");
            new Membership { UserId = 42 }.Save();
            Assert.Equal(1, Membership.Count());
            transaction.Commit();
        }

        Assert.Equal(42, connection.Scalar<long>("SELECT user_id FROM membership"));
    }

    [Fact]
    public void ConfiguringTheNameAgain_DropsTheMapping()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary");
        connection.Execute("CREATE TABLE membership (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL)");
        new Membership { UserId = 1 }.Save();
        connection.Execute("ALTER TABLE membership RENAME COLUMN user_id TO UserID");

        db.Registry.Configure("primary", connection.Config, replace: true);

        Assert.Contains("\"UserID\"", Membership.Where(m => m.UserId == 1).ToSql(), StringComparison.Ordinal);
        Assert.Equal(1, Membership.Where(m => m.UserId == 1).Count());
    }

    [Fact]
    public void ExplicitColumnName_IsUsedAsWritten()
    {
        using var db = new TestDatabase();
        db.Sqlite("primary").Execute("CREATE TABLE tagged (id INTEGER PRIMARY KEY, label_text TEXT NOT NULL, label TEXT)");

        new Tagged { Label = "x" }.Save();

        Assert.Equal("SELECT \"id\", \"label_text\" FROM \"tagged\"", Tagged.Using("primary").ToSql());
        Assert.Equal("x", Tagged.First().Label);
    }

    [Fact]
    public void DriverWithoutCatalog_UsesDeclaredNames()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        db.Registry.RegisterDriver(driver);
        var connection = db.Registry.Configure("primary", new ConnectionConfig { Driver = "fake", Database = "x", Echo = true });
        connection.Execute("CREATE TABLE \"OrderLine\" (\"OrderLineId\" INTEGER PRIMARY KEY, \"Quantity\" INTEGER NOT NULL)");

        new OrderLine { Quantity = 2 }.Save();

        Assert.Equal(NamingConvention.Auto, connection.Config.Naming);
        Assert.Equal(2, OrderLine.First().Quantity);
        Assert.DoesNotContain(db.Logs.Category("Switchboard.Sql"), e => e.Message.Contains("pragma", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("as_declared")]
    [InlineData("snake_case")]
    public void OtherConventions_SendNoCatalogQuery(string naming)
    {
        using var db = new TestDatabase();
        var connection = db.Registry.Configure("primary", new Dictionary<string, object?> { ["driver"] = "sqlite", ["database"] = db.File("p.db"), ["naming"] = naming, ["echo"] = true });
        connection.Execute("CREATE TABLE OrderLine (OrderLineId INTEGER PRIMARY KEY, Quantity INTEGER NOT NULL)");
        connection.Execute("CREATE TABLE order_line (order_line_id INTEGER PRIMARY KEY, quantity INTEGER NOT NULL)");

        new OrderLine { Quantity = 2 }.Save();

        Assert.Equal(1, OrderLine.Count());
        Assert.DoesNotContain(db.Logs.Category("Switchboard.Sql"), e => e.Message.Contains("pragma", StringComparison.OrdinalIgnoreCase));
    }

    public class InvoiceLine : ActiveRecord<InvoiceLine>
    {
        public long InvoiceLineId { get; set; }

        public decimal UnitPrice { get; set; }

        public string? TrackName { get; set; }
    }

    public class OrderLine : ActiveRecord<OrderLine>
    {
        public long OrderLineId { get; set; }

        public int Quantity { get; set; }
    }

    public class Membership : ActiveRecord<Membership>
    {
        public long Id { get; set; }

        public long UserId { get; set; }

        [NotMapped]
        public string? Scratch { get; set; }
    }

    [Table("tagged")]
    public class Tagged : ActiveRecord<Tagged>
    {
        public long Id { get; set; }

        [Column("label_text")]
        public string Label { get; set; } = "";
    }
}
