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
        declared.Execute("CREATE TABLE InvoiceLine (InvoiceLineId INTEGER PRIMARY KEY, UnitPrice NUMERIC NOT NULL)");
        snake.Execute("CREATE TABLE invoice_line (invoice_line_id INTEGER PRIMARY KEY, unit_price NUMERIC NOT NULL)");

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

    [Table("InvoiceLine")]
    public class InvoiceLine : ActiveRecord<InvoiceLine>
    {
        public long InvoiceLineId { get; set; }

        public decimal UnitPrice { get; set; }
    }
}
