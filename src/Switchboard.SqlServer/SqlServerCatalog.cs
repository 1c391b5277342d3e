using Switchboard.Dialects;

namespace Switchboard.SqlServer;

/// <summary>SQL Server's catalog: <c>INFORMATION_SCHEMA.COLUMNS</c> in the user's default schema (<c>SCHEMA_NAME()</c>) or the one <c>[Table]</c> names.</summary>
internal static class SqlServerCatalog
{
    private const string Select = """
        SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, IS_NULLABLE
        FROM INFORMATION_SCHEMA.COLUMNS
        WHERE (TABLE_NAME = @tname OR LOWER(REPLACE(TABLE_NAME, '_', '')) = @tkey) AND TABLE_SCHEMA =
        """;

    private const string Order = " ORDER BY TABLE_NAME, ORDINAL_POSITION";

    public static CatalogQuery Columns(string table, string? schema)
    {
        var parameters = new Dictionary<string, object?> { ["tname"] = table, ["tkey"] = CatalogQuery.NameKey(table) };
        if (schema is null)
        {
            return new(Select + " SCHEMA_NAME()" + Order, parameters);
        }

        parameters["tschema"] = schema;
        return new(Select + " @tschema" + Order, parameters);
    }
}
