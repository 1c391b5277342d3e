using System.ComponentModel.DataAnnotations.Schema;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Records;

/// <summary>
/// Issue 8's leftover: SQLite turns a decimal stored in a NUMERIC, REAL or INTEGER column into a REAL that keeps about 15
/// significant digits, silently. With the column's declared type read from the catalog, the model is refused when first
/// used, and a value with more digits than a NUMERIC(p,s) column keeps is refused before it is sent.
/// </summary>
public class SqliteDecimalColumnTests
{
    private const decimal Precise = 12345678901234.5678m;

    [Fact]
    public void WithoutTheCatalog_ADecimalInANumericColumn_SilentlyLosesDigits()
    {
        // The defect, as it was before the catalog was read: nothing refuses the model, and the value comes back changed.
        using var db = new TestDatabase();
        var connection = db.Registry.Configure("primary", new Dictionary<string, object?> { ["driver"] = "sqlite", ["database"] = db.File("p.db"), ["naming"] = "as_declared" });
        connection.Execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount NUMERIC NOT NULL)");

        var entry = new Ledger { Amount = Precise };
        entry.Save();

        Assert.NotEqual(Precise, Ledger.Find(entry.Id).Amount);
    }

    [Theory]
    [InlineData("NUMERIC")]
    [InlineData("REAL")]
    [InlineData("INTEGER")]
    [InlineData("DECIMAL(30,10)")]
    [InlineData("DOUBLE PRECISION")]
    public void DecimalProperty_OnALossyColumn_IsRefusedAtFirstUse_NamingPropertyTypeColumnAndFix(string columnType)
    {
        using var db = new TestDatabase();
        db.Sqlite("primary").Execute($"CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount {columnType} NOT NULL)");

        var error = Assert.Throws<MappingException>(() => new Ledger { Amount = Precise }.Save());

        Assert.Equal((typeof(Ledger), "Amount", "ledger", "primary"), (error.Model, error.Property, error.Table, error.ConnectionName));
        Assert.Contains("Ledger.Amount", error.Message, StringComparison.Ordinal);
        Assert.Contains("Decimal", error.Message, StringComparison.Ordinal);
        Assert.Contains(columnType, error.Message, StringComparison.Ordinal);
        Assert.Contains("SQLite", error.Message, StringComparison.Ordinal);
        Assert.Contains("Declare the column TEXT", error.Message, StringComparison.Ordinal);
        Assert.Contains("double", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, db.Registry.GetConnection("primary").Scalar<long>("SELECT COUNT(*) FROM ledger"));
    }

    [Theory]
    [InlineData("TEXT")]
    [InlineData("VARCHAR(40)")]
    [InlineData("BLOB")]
    [InlineData("")]
    public void DecimalProperty_OnATextColumn_KeepsEveryDigit(string columnType)
    {
        using var db = new TestDatabase();
        db.Sqlite("primary").Execute($"CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount {columnType} NOT NULL)");

        var entry = new Ledger { Amount = Precise };
        entry.Save();

        Assert.Equal(Precise, Ledger.Find(entry.Id).Amount);
    }

    [Fact]
    public void DeclaredPrecisionOf15OrLess_IsAccepted_AndAValueWithMoreDigitsIsRefusedBeforeItIsSent()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary");
        connection.Execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount NUMERIC(10,2) NOT NULL)");

        var fits = new Ledger { Amount = 12345678.91m };
        fits.Save();
        var error = Assert.Throws<ArgumentException>(() => new Ledger { Amount = Precise }.Save());

        Assert.Equal(12345678.91m, Ledger.Find(fits.Id).Amount);
        Assert.Contains("Ledger.Amount", error.Message, StringComparison.Ordinal);
        Assert.Contains("NUMERIC(10,2)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("12345678901234", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, connection.Scalar<long>("SELECT COUNT(*) FROM ledger"));
    }

    [Table("ledger")]
    public class Ledger : ActiveRecord<Ledger>
    {
        public long Id { get; set; }

        public decimal Amount { get; set; }
    }
}
