using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using MySqlConnector;

namespace Switchboard.MySql;

/// <summary>
/// The LOAD DATA LOCAL path of <see cref="MySqlBulkWriter"/>: one MySqlBulkCopy per batch, used when the connection
/// allows it (<c>local_infile: true</c>) and so does the server (<c>@@local_infile</c>). LOAD DATA LOCAL turns a row's
/// error into a warning and goes on (a duplicate skipped, a NULL made empty): any warning fails the copy instead.
/// </summary>
internal static partial class MySqlBulkCopyWriter
{
    /// <summary>Whether both sides allow LOAD DATA LOCAL on this connection.</summary>
    public static async ValueTask<bool> IsAllowedAsync(MySqlConnection connection, DbTransaction? transaction, bool async, CancellationToken cancellationToken)
    {
        if (!new MySqlConnectionStringBuilder(connection.ConnectionString).AllowLoadLocalInfile)
        {
            return false;
        }

        using var command = new MySqlCommand("SELECT @@GLOBAL.local_infile", connection, (MySqlTransaction?)transaction);
        var value = async ? await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteScalar();
        return Convert.ToInt64(value, CultureInfo.InvariantCulture) == 1;
    }

    public static async ValueTask<long> WriteAsync(Dialects.BulkWriteTarget target, DbDataReader rows, bool async, CancellationToken cancellationToken)
    {
        var written = 0L;
        do
        {
            var bulk = new MySqlBulkCopy((MySqlConnection)target.Connection, (MySqlTransaction?)target.Transaction)
            {
                DestinationTableName = target.Table,
                BulkCopyTimeout = target.CommandTimeoutSeconds,
                ConflictOption = MySqlBulkLoaderConflictOption.None,
            };
            for (var i = 0; i < target.Columns.Count; i++)
            {
                bulk.ColumnMappings.Add(new MySqlBulkCopyColumnMapping(i, target.Columns[i]));
            }

            var first = written + 1;
            MySqlBulkCopyResult result;
            try
            {
                result = async ? await bulk.WriteToServerAsync(rows, cancellationToken).ConfigureAwait(false) : bulk.WriteToServer(rows);
            }
            catch (MySqlException)
            {
                target.ReportFailedRows(first, first + target.BatchSize - 1);
                throw;
            }

            if (result.Warnings.Count > 0)
            {
                // The warning's text may hold a value (a duplicate key): only its code and row are named.
                var warning = result.Warnings[0];
                var row = RowPattern().Match(warning.Message) is { Success: true } match
                    && long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0;
                if (row > 0)
                {
                    target.ReportFailedRows(first + row - 1, first + row - 1);
                }
                else
                {
                    target.ReportFailedRows(first, first + target.BatchSize - 1);
                }

                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The server loaded the batch with {result.Warnings.Count} warning(s), the first {warning.ErrorCode} ({(int)warning.ErrorCode}): LOAD DATA LOCAL keeps going past a refused or changed row, so the copy is refused instead. Fix the row, or set local_infile to false to copy with INSERTs, which fail on the row itself."));
            }

            written += result.RowsInserted;
        }
        while (async ? await rows.NextResultAsync(cancellationToken).ConfigureAwait(false) : rows.NextResult());

        return written;
    }

    [GeneratedRegex(@"at row (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex RowPattern();
}
