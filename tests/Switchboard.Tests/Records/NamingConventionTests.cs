using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Records;

/// <summary>The mapping is per (model, connection): one class maps to InvoiceLine.UnitPrice on one database and invoice_line.unit_price on another.</summary>
public class NamingConventionTests
{
    [Theory]
    [InlineData("InvoiceId", "invoice_id")]
    [InlineData("Invoice", "invoice")]
    [InlineData("BillingCountry", "billing_country")]
    [InlineData("HTTPStatus", "http_status")]
    [InlineData("Counter1", "counter1")]
    [InlineData("email_address", "email_address")]
    [InlineData("Id", "id")]
    public void SnakeCase_ConvertsDeclaredNames(string declared, string expected) => Assert.Equal(expected, Naming.ToSnakeCase(declared));

    [Fact]
    public void OneModel_MapsDifferentlyOnTwoConnections()
    {
        using var db = new TestDatabase();
        var declared = db.Sqlite("declared");
        var snake = db.Registry.Configure("snake", new Dictionary<string, object?> { ["driver"] = "sqlite", ["database"] = db.File("snake.db"), ["naming"] = "snake_case" });
        declared.Execute("CREATE TABLE InvoiceLine (InvoiceLineId INTEGER PRIMARY KEY, UnitPrice NUMERIC(10,2) NOT NULL)");
        snake.Execute("CREATE TABLE invoice_line (invoice_line_id INTEGER PRIMARY KEY, unit_price NUMERIC(10,2) NOT NULL)");

        using (InvoiceLine.UsingConnection("declared"))
        {
            new InvoiceLine { UnitPrice = 0.99m }.Save();
            Assert.Contains("\"InvoiceLine\"", InvoiceLine.Where(l => l.UnitPrice > 0).ToSql());
        }

        using (InvoiceLine.UsingConnection("snake"))
        {
            new InvoiceLine { UnitPrice = 1.99m }.Save();
            var line = InvoiceLine.Where(l => l.UnitPrice > 1).OrderBy("unit_price").First();
            Assert.Equal(1.99m, line.UnitPrice);
            line.UnitPrice = 2.49m;
            line.Save();
            Assert.Contains("\"invoice_line\"", InvoiceLine.Where(l => l.UnitPrice > 0).ToSql());
            Assert.Contains("\"unit_price\"", InvoiceLine.Where(l => l.UnitPrice > 0).ToSql());
        }

        Assert.Equal(0.99m, declared.Scalar<decimal>("SELECT UnitPrice FROM InvoiceLine"));
        Assert.Equal(2.49m, snake.Scalar<decimal>("SELECT unit_price FROM invoice_line"));
    }

    public class InvoiceLine : ActiveRecord<InvoiceLine>
    {
        public long InvoiceLineId { get; set; }

        public decimal UnitPrice { get; set; }
    }

    [Fact]
    public void ExplicitTableAndColumnNames_AreUsedAsWritten_UnderSnakeCase()
    {
        using var db = new TestDatabase();
        var snake = db.Registry.Configure("snake", new Dictionary<string, object?> { ["driver"] = "sqlite", ["database"] = db.File("snake.db"), ["naming"] = "snake_case" });
        snake.Execute("CREATE TABLE \"ExplicitTable\" (\"UserID\" INTEGER PRIMARY KEY, display_name TEXT NOT NULL)");

        using (Account.UsingConnection("snake"))
        {
            var sql = Account.Where(a => a.DisplayName == "x").ToSql();
            new Account { DisplayName = "ann" }.Save();
            var loaded = Account.Where(a => a.DisplayName == "ann").First();

            Assert.Contains("FROM \"ExplicitTable\"", sql, StringComparison.Ordinal);
            Assert.Contains("\"UserID\"", sql, StringComparison.Ordinal);
            Assert.Contains("\"display_name\"", sql, StringComparison.Ordinal);
            Assert.Equal(1, loaded.UserId);
        }
    }

    [Table("ExplicitTable")]
    public class Account : ActiveRecord<Account>
    {
        [Key]
        [Column("UserID")]
        public long UserId { get; set; }

        public string DisplayName { get; set; } = "";
    }
}
