using Switchboard.Dialects;

namespace Switchboard.Sqlite;

/// <summary>
/// SQLite's catalog: <c>pragma_table_list</c> for the tables (a temp table hides a main one of the same name, as in
/// unqualified SQL) and <c>pragma_table_xinfo</c> for their columns, generated ones included (<c>pragma_table_info</c> hides
/// them; a virtual table's hidden columns stay out). A key column is never nullable (a rowid alias cannot be NULL).
/// </summary>
internal static class SqliteCatalog
{
    private const string Select = """
        SELECT t.name, c.name, c.type, c."notnull" = 0 AND c.pk = 0
        FROM pragma_table_list AS t JOIN pragma_table_xinfo(t.name, t.schema) AS c
        WHERE t.type IN ('table', 'view') AND c.hidden <> 1 AND (t.name = @tname OR lower(replace(t.name, '_', '')) = @tkey) AND
        """;

    private const string OwnSchemas = """
         t.schema IN ('temp', 'main')
         AND NOT (t.schema = 'main' AND EXISTS (SELECT 1 FROM pragma_table_list AS h WHERE h.schema = 'temp' AND h.name = t.name))
        ORDER BY t.name, c.cid
        """;

    private const string NamedSchema = " t.schema = @tschema ORDER BY t.name, c.cid";

    public static CatalogQuery Columns(string table, string? schema)
    {
        var parameters = new Dictionary<string, object?> { ["tname"] = table, ["tkey"] = CatalogQuery.NameKey(table) };
        if (schema is null)
        {
            return new(Select + OwnSchemas, parameters);
        }

        parameters["tschema"] = schema;
        return new(Select + NamedSchema, parameters);
    }
}
