using System.Text.RegularExpressions;
using Switchboard.Oracle;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Providers;

/// <summary>
/// Golden SQL for Oracle's upper-case Chinook (unquoted DDL folds <c>Invoice.InvoiceId</c> to <c>INVOICE.INVOICEID</c>):
/// with <c>naming: auto</c> the PascalCase models find those names in <c>ALL_TAB_COLUMNS</c>, answered here from the
/// repository's Oracle script by a provider that talks to nothing.
/// </summary>
public partial class OracleCatalogMappingTests : IDisposable
{
    private readonly FakeProviderFactory _factory = new() { Catalog = ScriptCatalog() };
    private readonly ConnectionRegistry _registry;
    private readonly IDisposable _activation;

    public OracleCatalogMappingTests()
    {
        _registry = new ConnectionRegistry().AddOracle(_factory);
        _registry.Configure("ora", new Dictionary<string, object?> { ["driver"] = "oracle", ["host"] = "ora.internal", ["username"] = "chinook", ["service_name"] = "FREEPDB1" });
        _activation = _registry.Activate();
    }

    [Fact]
    public void Query_OfAPascalCaseModel_WritesTheUpperCaseNamesOfTheScript()
    {
        var sql = Invoice.Using("ora").Where(i => i.BillingCountry == "Germany").OrderBy(i => i.InvoiceDate).Limit(5).ToSql();

        Assert.Equal(
            "SELECT \"INVOICEID\", \"CUSTOMERID\", \"INVOICEDATE\", \"BILLINGCITY\", \"BILLINGCOUNTRY\", \"TOTAL\" FROM \"INVOICE\" "
            + "WHERE \"BILLINGCOUNTRY\" = :sb_w0 ORDER BY \"INVOICEDATE\" ASC FETCH FIRST 5 ROWS ONLY",
            sql);
    }

    [Fact]
    public void CatalogQuery_IsAllTabColumnsOfTheCurrentSchema_WithTheDeclaredNameAsParameters()
    {
        _ = Invoice.Using("ora").ToSql();

        var catalog = Assert.Single(_factory.Commands, c => c.Text.Contains("ALL_TAB_COLUMNS", StringComparison.Ordinal));
        Assert.Equal(
            "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, NULLABLE\nFROM ALL_TAB_COLUMNS\n"
            + "WHERE (TABLE_NAME = :tname OR LOWER(REPLACE(TABLE_NAME, '_', '')) = :tkey) AND OWNER = SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA') ORDER BY TABLE_NAME, COLUMN_ID",
            catalog.Text.ReplaceLineEndings("\n"));
        Assert.Equal([("tkey", "invoice"), ("tname", "Invoice")], catalog.Parameters.Select(p => (p.Name.TrimStart(':'), (string)p.Value!)).Order());
    }

    [Fact]
    public void FindAndSave_WriteTheUpperCaseNames_AndReadTheCatalogOncePerModel()
    {
        _ = Invoice.FindOrDefault(98);
        new InvoiceLine { InvoiceId = 1, TrackId = 2, UnitPrice = 0.99m, Quantity = 1 }.Save();
        _ = Invoice.FindOrDefault(99);

        var texts = _factory.Commands.Select(c => c.Text).ToList();
        Assert.Contains("SELECT \"INVOICEID\", \"CUSTOMERID\", \"INVOICEDATE\", \"BILLINGCITY\", \"BILLINGCOUNTRY\", \"TOTAL\" FROM \"INVOICE\" WHERE \"INVOICEID\" = :key", texts);
        Assert.Contains(texts, t => t.StartsWith("INSERT INTO \"INVOICELINE\" (\"INVOICEID\", \"TRACKID\", \"UNITPRICE\", \"QUANTITY\") VALUES (", StringComparison.Ordinal)
            && t.Contains("RETURNING \"INVOICELINEID\" INTO", StringComparison.Ordinal));
        Assert.Equal(2, texts.Count(t => t.Contains("ALL_TAB_COLUMNS", StringComparison.Ordinal)));
    }

    [Fact]
    public void ExplicitSchema_IsTheOwnerParameter_AndAnExplicitTableNameIsUsedAsWritten()
    {
        _ = Genre.Using("ora").ToSql();

        var catalog = Assert.Single(_factory.Commands, c => c.Text.Contains("ALL_TAB_COLUMNS", StringComparison.Ordinal));
        Assert.Contains("OWNER = :tschema", catalog.Text, StringComparison.Ordinal);
        Assert.Contains(catalog.Parameters, p => p.Name.TrimStart(':') == "tschema" && (string?)p.Value == "CHINOOK");
        Assert.Equal("SELECT \"GENREID\", \"NAME\" FROM \"CHINOOK\".\"GENRE\"", Genre.Using("ora").ToSql());
    }

    public void Dispose()
    {
        _activation.Dispose();
        _registry.DisposeAll();
        GC.SuppressFinalize(this);
    }

    /// <summary>Every column of the Oracle script's CREATE TABLE statements, as Oracle's catalog names them: unquoted, so upper case.</summary>
    private static List<(string Table, string Column, string Type, string Nullable)> ScriptCatalog()
    {
        var rows = new List<(string, string, string, string)>();
        foreach (Match table in CreateTable().Matches(File.ReadAllText(ChinookData.Script("Oracle"))))
        {
            foreach (var line in table.Groups["body"].Value.Split('\n').Select(l => l.Trim().TrimEnd(',')))
            {
                if (line.Length == 0 || line.StartsWith("CONSTRAINT", StringComparison.Ordinal))
                {
                    continue;
                }

                var parts = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
                var type = parts[1].Replace("NOT NULL", "", StringComparison.Ordinal).Trim();
                rows.Add((table.Groups["name"].Value.ToUpperInvariant(), parts[0].ToUpperInvariant(), Regex.Replace(type, @"\(.*\)", ""), parts[1].Contains("NOT NULL", StringComparison.Ordinal) ? "N" : "Y"));
            }
        }

        return rows;
    }

    [GeneratedRegex(@"CREATE TABLE (?<name>\w+)\s*\((?<body>.*?)\n\);", RegexOptions.Singleline)]
    private static partial Regex CreateTable();

    public class Invoice : ActiveRecord<Invoice>
    {
        public long InvoiceId { get; set; }

        public long CustomerId { get; set; }

        public DateTime InvoiceDate { get; set; }

        public string? BillingCity { get; set; }

        public string? BillingCountry { get; set; }

        public decimal Total { get; set; }
    }

    public class InvoiceLine : ActiveRecord<InvoiceLine>
    {
        public long InvoiceLineId { get; set; }

        public long InvoiceId { get; set; }

        public long TrackId { get; set; }

        public decimal UnitPrice { get; set; }

        public int Quantity { get; set; }
    }

    // A name written in [Table] is used as written, so it is spelt as Oracle stores it; the columns are still found.
    [System.ComponentModel.DataAnnotations.Schema.Table("GENRE", Schema = "CHINOOK")]
    public class Genre : ActiveRecord<Genre>
    {
        public long GenreId { get; set; }

        public string? Name { get; set; }
    }
}
