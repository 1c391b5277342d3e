using System.Data.Common;

namespace Switchboard;

/// <summary>Raw SQL's results: every row and column of a statement, its affected rows and the key an INSERT made.</summary>
public sealed partial class Connection
{
    private ValueTask<QueryResult> ExecuteRawAsync(string sql, object? parameters, bool async, CancellationToken cancellationToken) =>
        Tracked().RunAsync(sql, CommandParameters.From(parameters), ReadAll, async, cancellationToken);

    private async ValueTask<QueryResult> ReadAll(DbCommand command, ConnectionLease lease, bool async, CancellationToken cancellationToken)
    {
        // Values by position: two columns of one name (a join's ids, "1 AS id, 2 AS ID") are both kept.
        var rows = new List<object?[]>();
        string[] columns;
        int affected;
        var reader = async ? await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteReader();
        await using (reader.ConfigureAwait(false))
        {
            columns = new string[reader.FieldCount];
            for (var i = 0; i < columns.Length; i++)
            {
                columns[i] = reader.GetName(i);
            }

            while (async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read())
            {
                var row = new object?[columns.Length];
                for (var i = 0; i < columns.Length; i++)
                {
                    var value = reader.GetValue(i);
                    row[i] = value is DBNull ? null : value;
                }

                rows.Add(row);
            }

            while (async ? await reader.NextResultAsync(cancellationToken).ConfigureAwait(false) : reader.NextResult())
            {
                // Drain later results so that RecordsAffected covers the whole batch.
            }

            affected = Math.Max(0, reader.RecordsAffected);
        }

        long? lastInsertId = null;
        if (affected > 0 && StartsWithInsert(command.CommandText))
        {
            lastInsertId = lease.Connection.Pool.Source.ReadLastInsertId(command);
            if (lastInsertId is null && Dialect.LastInsertIdSql is { } lastIdSql)
            {
                using var follow = CreateCommand(lease, lastIdSql);
                var value = async ? await follow.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) : follow.ExecuteScalar();
                lastInsertId = ValueConverter.To<long?>(value);
            }
        }

        return new QueryResult(columns, rows, affected, lastInsertId);
    }

    private static bool StartsWithInsert(string sql)
    {
        var text = sql.AsSpan().TrimStart();
        while (text.StartsWith("--", StringComparison.Ordinal))
        {
            var end = text.IndexOf('\n');
            text = end < 0 ? [] : text[(end + 1)..].TrimStart();
        }

        return text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) || text.StartsWith("REPLACE", StringComparison.OrdinalIgnoreCase);
    }
}
