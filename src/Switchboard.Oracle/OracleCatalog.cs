using Switchboard.Dialects;

namespace Switchboard.Oracle;

/// <summary>
/// Oracle's catalog: <c>ALL_TAB_COLUMNS</c> of the session's current schema, or of the owner <c>[Table]</c> names as its
/// schema (as written: an unquoted owner is upper case). Unquoted DDL makes upper-case names (<c>INVOICE.INVOICEID</c>),
/// which <c>naming: auto</c> finds for <c>Invoice.InvoiceId</c>.
/// </summary>
internal static class OracleCatalog
{
    private const string Select = """
        SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, NULLABLE
        FROM ALL_TAB_COLUMNS
        WHERE (TABLE_NAME = :tname OR LOWER(REPLACE(TABLE_NAME, '_', '')) = :tkey) AND OWNER =
        """;

    private const string Order = " ORDER BY TABLE_NAME, COLUMN_ID";

    public static CatalogQuery Columns(string table, string? schema)
    {
        var parameters = new Dictionary<string, object?> { ["tname"] = table, ["tkey"] = CatalogQuery.NameKey(table) };
        if (schema is null)
        {
            return new(Select + " SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')" + Order, parameters);
        }

        parameters["tschema"] = schema;
        return new(Select + " :tschema" + Order, parameters);
    }
}
