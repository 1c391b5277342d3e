using Switchboard.Dialects;
using Switchboard.MySql;
using Switchboard.Oracle;
using Switchboard.PostgreSql;
using Switchboard.Sqlite;
using Switchboard.SqlServer;

namespace Switchboard.Tests.Providers;

/// <summary>Each provider's catalog query (naming: auto): its catalog, the connection's own schema or the one [Table] names, and the declared name as parameters.</summary>
public class CatalogQueryTests
{
    public static TheoryData<string, string, string> OwnSchema() => new()
    {
        { "sqlite", "pragma_table_xinfo(t.name, t.schema)", "t.schema IN ('temp', 'main')" },
        { "postgresql", "information_schema.columns", "c.table_schema = current_schema()" },
        { "mysql", "information_schema.COLUMNS", "TABLE_SCHEMA = DATABASE()" },
        { "sqlserver", "INFORMATION_SCHEMA.COLUMNS", "TABLE_SCHEMA = SCHEMA_NAME()" },
        { "oracle", "ALL_TAB_COLUMNS", "OWNER = SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')" },
    };

    [Theory]
    [MemberData(nameof(OwnSchema))]
    public void WithoutASchema_ReadsTheConnectionsOwn_WithTheNameAndItsKeyAsParameters(string driver, string catalog, string schema)
    {
        var query = Driver(driver).ColumnCatalog("InvoiceLine", null)!;

        Assert.Contains(catalog, query.Sql, StringComparison.Ordinal);
        Assert.Contains(schema, query.Sql, StringComparison.Ordinal);
        Assert.Equal([("tkey", "invoiceline"), ("tname", "InvoiceLine")], query.Parameters.Select(p => (p.Key, (string?)p.Value)).Order());
        Assert.DoesNotContain("InvoiceLine", query.Sql, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    [InlineData("mysql")]
    [InlineData("sqlserver")]
    [InlineData("oracle")]
    public void WithASchema_BindsItAsAParameter_NeverInTheText(string driver)
    {
        var query = Driver(driver).ColumnCatalog("events", "audit'; DROP TABLE x; --")!;

        Assert.Equal("audit'; DROP TABLE x; --", query.Parameters["tschema"]);
        Assert.DoesNotContain("audit", query.Sql, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("InvoiceLineId", "invoicelineid")]
    [InlineData("invoice_line_id", "invoicelineid")]
    [InlineData("INVOICE_LINE_ID", "invoicelineid")]
    public void NameKey_IgnoresCaseAndUnderscores(string name, string key) => Assert.Equal(key, CatalogQuery.NameKey(name));

    private static DatabaseDriver Driver(string name) => name switch
    {
        "sqlite" => new SqliteDriver(),
        "postgresql" => new PostgreSqlDriver(),
        "mysql" => new MySqlDriver(),
        "sqlserver" => new SqlServerDriver(),
        _ => new OracleDriver(),
    };
}
