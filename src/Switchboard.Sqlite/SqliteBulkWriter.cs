using System.Data.Common;
using Microsoft.Data.Sqlite;
using Switchboard.Dialects;

namespace Switchboard.Sqlite;

/// <summary>
/// SQLite's bulk path: one prepared INSERT run once per row inside the copy's transaction, which is what makes SQLite
/// fast (a single journal commit); the failed row is always the one just read.
/// </summary>
internal sealed class SqliteBulkWriter(BulkWriteTarget target) : BulkWriter(target)
{
    protected override async ValueTask<long> WriteCoreAsync(DbDataReader rows, bool async, CancellationToken cancellationToken)
    {
        var placeholders = string.Join(", ", Enumerable.Range(0, Target.Columns.Count).Select(i => "@p" + i));
        using var insert = (SqliteCommand)CreateCommand($"INSERT INTO {Target.Table} ({string.Join(", ", Target.QuotedColumns)}) VALUES ({placeholders})");
        var parameters = new SqliteParameter[Target.Columns.Count];
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] = insert.Parameters.Add(new SqliteParameter("@p" + i, DBNull.Value));
        }

        var written = 0L;
        do
        {
            while (async ? await rows.ReadAsync(cancellationToken).ConfigureAwait(false) : rows.Read())
            {
                for (var i = 0; i < parameters.Length; i++)
                {
                    parameters[i].Value = rows.GetValue(i);
                }

                // Microsoft.Data.Sqlite runs every command synchronously; its async methods add only a task.
                insert.ExecuteNonQuery();
                written++;
            }
        }
        while (async ? await rows.NextResultAsync(cancellationToken).ConfigureAwait(false) : rows.NextResult());

        return written;
    }
}
