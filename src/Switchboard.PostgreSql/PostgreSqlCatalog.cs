using Switchboard.Dialects;

namespace Switchboard.PostgreSql;

/// <summary>PostgreSQL's catalog: <c>information_schema.columns</c> in the session's schema (the <c>schema</c> key, sent as search_path) or the one <c>[Table]</c> names.</summary>
internal static class PostgreSqlCatalog
{
    private const string Select = """
        SELECT c.table_name, c.column_name, c.data_type, c.is_nullable
        FROM information_schema.columns AS c
        WHERE (c.table_name = @tname OR lower(replace(c.table_name, '_', '')) = @tkey) AND c.table_schema =
        """;

    private const string Order = " ORDER BY c.table_name, c.ordinal_position";

    public static CatalogQuery Columns(string table, string? schema)
    {
        var parameters = new Dictionary<string, object?> { ["tname"] = table, ["tkey"] = CatalogQuery.NameKey(table) };
        if (schema is null)
        {
            return new(Select + " current_schema()" + Order, parameters);
        }

        parameters["tschema"] = schema;
        return new(Select + " @tschema" + Order, parameters);
    }
}
