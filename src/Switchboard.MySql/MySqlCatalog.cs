using Switchboard.Dialects;

namespace Switchboard.MySql;

/// <summary>
/// MySQL's and MariaDB's catalog: <c>information_schema.COLUMNS</c> in the connection's database (or the one
/// <c>[Table]</c> names as its schema), with the full column type (<c>decimal(10,2)</c>, <c>tinyint(1)</c>).
/// </summary>
internal static class MySqlCatalog
{
    private const string Select = """
        SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE
        FROM information_schema.COLUMNS
        WHERE (TABLE_NAME = @tname OR LOWER(REPLACE(TABLE_NAME, '_', '')) = @tkey) AND TABLE_SCHEMA =
        """;

    private const string Order = " ORDER BY TABLE_NAME, ORDINAL_POSITION";

    public static CatalogQuery Columns(string table, string? schema)
    {
        var parameters = new Dictionary<string, object?> { ["tname"] = table, ["tkey"] = CatalogQuery.NameKey(table) };
        if (schema is null)
        {
            return new(Select + " DATABASE()" + Order, parameters);
        }

        parameters["tschema"] = schema;
        return new(Select + " @tschema" + Order, parameters);
    }
}
