using System.Data.Common;
using System.Globalization;
using Switchboard.Dialects;

namespace Switchboard.Records.Schema;

/// <summary>Reads the tables a model may map to from a connection's catalog, with the query its driver supplies.</summary>
internal static class SchemaCatalog
{
    /// <summary>
    /// The tables whose name matches the model's declared one (exactly, or ignoring case and underscores), each with its
    /// columns; empty when there is none, null when the driver has no catalog. Runs as a statement of
    /// <paramref name="connection"/>: inside this flow's open transaction on it, when there is one.
    /// </summary>
    public static async ValueTask<IReadOnlyList<CatalogTable>?> ReadAsync(Connection connection, ModelInfo info, bool async, CancellationToken cancellationToken)
    {
        if (connection.DatabaseDriver.ColumnCatalog(info.TableName, info.Schema) is not { } query)
        {
            return null;
        }

        return await connection.RunAsync(query.Sql, CommandParameters.From(query.Parameters), ReadTables, async, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<IReadOnlyList<CatalogTable>> ReadTables(DbCommand command, ConnectionLease lease, bool async, CancellationToken cancellationToken)
    {
        var tables = new List<(string Name, List<CatalogColumn> Columns)>();
        var reader = async ? await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteReader();
        await using (reader.ConfigureAwait(false))
        {
            while (async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read())
            {
                var table = Text(reader, 0);
                var column = new CatalogColumn(Text(reader, 1), Text(reader, 2), Nullable(reader.GetValue(3)));
                var index = tables.FindIndex(t => t.Name == table);
                if (index < 0)
                {
                    tables.Add((table, [column]));
                }
                else
                {
                    tables[index].Columns.Add(column);
                }
            }
        }

        return [.. tables.Select(t => new CatalogTable(t.Name, t.Columns))];
    }

    private static string Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? "" : reader.GetValue(ordinal) switch
    {
        // Some servers hand catalog text back as bytes (MySQL's COLUMN_TYPE on older versions).
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        var value => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static bool Nullable(object value) => value switch
    {
        bool flag => flag,
        string text => text.Trim().ToUpperInvariant() is "YES" or "Y" or "TRUE" or "1",
        DBNull => true,
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0,
    };
}
