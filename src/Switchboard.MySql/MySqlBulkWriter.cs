using System.Data.Common;
using System.Text;
using MySqlConnector;
using Switchboard.Dialects;

namespace Switchboard.MySql;

/// <summary>
/// MySQL's and MariaDB's bulk path: MySqlBulkCopy when the connection (<c>local_infile: true</c>) and the server allow
/// LOAD DATA LOCAL (see <see cref="MySqlBulkCopyWriter"/>); otherwise multi-row INSERTs of up to <see cref="MaxRowsPerStatement"/> rows (within the
/// server's parameter limit), one statement text prepared for full chunks. When a chunk fails, its rows are tried one
/// by one (a failed statement is undone alone on InnoDB, and the copy rolls back anyway) to name the row that failed.
/// </summary>
internal sealed class MySqlBulkWriter(BulkWriteTarget target) : BulkWriter(target)
{
    /// <summary>Rows per INSERT: enough to amortise a round trip, few enough for a 16 MB max_allowed_packet at 2 KB a row.</summary>
    public const int MaxRowsPerStatement = 1000;

    /// <summary>The server accepts at most 65,535 placeholders in one statement.</summary>
    private const int MaxParameters = 65_535;

    protected override async ValueTask<long> WriteCoreAsync(DbDataReader rows, bool async, CancellationToken cancellationToken)
    {
        if (await MySqlBulkCopyWriter.IsAllowedAsync((MySqlConnection)Target.Connection, Target.Transaction, async, cancellationToken).ConfigureAwait(false))
        {
            return await MySqlBulkCopyWriter.WriteAsync(Target, rows, async, cancellationToken).ConfigureAwait(false);
        }

        var columns = Target.Columns.Count;
        var perStatement = Math.Max(1, Math.Min(Math.Min(MaxRowsPerStatement, Target.BatchSize), MaxParameters / columns));
        using var full = Insert(perStatement);
        var written = 0L;
        do
        {
            var inChunk = 0;
            while (async ? await rows.ReadAsync(cancellationToken).ConfigureAwait(false) : rows.Read())
            {
                for (var i = 0; i < columns; i++)
                {
                    full.Parameters[(inChunk * columns) + i].Value = rows.GetValue(i);
                }

                if (++inChunk == perStatement)
                {
                    await RunAsync(full, written, inChunk, async, cancellationToken).ConfigureAwait(false);
                    written += inChunk;
                    inChunk = 0;
                }
            }

            if (inChunk > 0)
            {
                using var rest = Insert(inChunk);
                for (var i = 0; i < inChunk * columns; i++)
                {
                    rest.Parameters[i].Value = full.Parameters[i].Value;
                }

                await RunAsync(rest, written, inChunk, async, cancellationToken).ConfigureAwait(false);
                written += inChunk;
            }
        }
        while (async ? await rows.NextResultAsync(cancellationToken).ConfigureAwait(false) : rows.NextResult());

        return written;
    }

    /// <summary>
    /// Errors about a row's values (duplicate key, NULL in a NOT NULL column, too long, out of range, bad value, foreign
    /// key), which undo only the statement: only then are the chunk's rows tried again one by one. After any other error
    /// (a deadlock ends the transaction, and later statements would commit on their own) nothing more is sent.
    /// </summary>
    private static readonly HashSet<int> RowErrors = [1048, 1062, 1264, 1292, 1366, 1406, 1451, 1452, 1690, 3819, 4025];

    private MySqlCommand Insert(int rowCount)
    {
        var columns = Target.Columns.Count;
        var sql = new StringBuilder("INSERT INTO ").Append(Target.Table).Append(" (").AppendJoin(", ", Target.QuotedColumns).Append(") VALUES ");
        var command = (MySqlCommand)CreateCommand("");
        for (var row = 0; row < rowCount; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var i = 0; i < columns; i++)
            {
                var name = "@p" + ((row * columns) + i);
                sql.Append(i == 0 ? "" : ", ").Append(name);
                command.Parameters.Add(new MySqlParameter(name, DBNull.Value));
            }

            sql.Append(')');
        }

        command.CommandText = sql.ToString();
        return command;
    }

    private async ValueTask RunAsync(MySqlCommand insert, long before, int rowCount, bool async, CancellationToken cancellationToken)
    {
        try
        {
            _ = async ? await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) : insert.ExecuteNonQuery();
        }
        catch (MySqlException failure) when (rowCount > 1 && RowErrors.Contains(failure.Number))
        {
            // Which row? Try them one at a time (the failed statement changed nothing); the first that fails is the one.
            using var single = Insert(1);
            var columns = Target.Columns.Count;
            for (var row = 0; row < rowCount; row++)
            {
                for (var i = 0; i < columns; i++)
                {
                    single.Parameters[i].Value = insert.Parameters[(row * columns) + i].Value;
                }

                try
                {
                    _ = async ? await single.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) : single.ExecuteNonQuery();
                }
                catch (MySqlException)
                {
                    Target.ReportFailedRows(before + row + 1, before + row + 1);
                    throw;
                }
            }

            Target.ReportFailedRows(before + 1, before + rowCount);
            throw;
        }
        catch (MySqlException)
        {
            Target.ReportFailedRows(before + 1, before + rowCount);
            throw;
        }
    }
}
