using System.Data.Common;
using Microsoft.Data.SqlClient;
using Switchboard.Dialects;

namespace Switchboard.SqlServer;

/// <summary>
/// SQL Server's bulk path: one <see cref="SqlBulkCopy"/> per batch inside the copy's transaction, keys kept as they are
/// (<see cref="SqlBulkCopyOptions.KeepIdentity"/>, which also leaves the identity past them), NULLs kept, constraints checked.
/// </summary>
internal sealed class SqlServerBulkWriter(BulkWriteTarget target) : BulkWriter(target)
{
    /// <summary>KeepIdentity: keys copied as they are; KeepNulls: a NULL stays NULL, not the column's default; CheckConstraints: as an INSERT would.</summary>
    public const SqlBulkCopyOptions Options = SqlBulkCopyOptions.KeepIdentity | SqlBulkCopyOptions.KeepNulls | SqlBulkCopyOptions.CheckConstraints;

    /// <summary>The configured bulk copy for one batch (tested without a server).</summary>
    public SqlBulkCopy CreateBulkCopy()
    {
        var bulk = new SqlBulkCopy((SqlConnection)Target.Connection, Options, (SqlTransaction?)Target.Transaction)
        {
            DestinationTableName = Target.Table,
            BulkCopyTimeout = Target.CommandTimeoutSeconds,
            BatchSize = 0,
            EnableStreaming = true,
        };
        for (var i = 0; i < Target.Columns.Count; i++)
        {
            bulk.ColumnMappings.Add(i, Target.Columns[i]);
        }

        return bulk;
    }

    protected override async ValueTask<long> WriteCoreAsync(DbDataReader rows, bool async, CancellationToken cancellationToken)
    {
        var written = 0L;
        do
        {
            using var bulk = CreateBulkCopy();
            var first = written + 1;
            try
            {
                if (async)
                {
                    await bulk.WriteToServerAsync(rows, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    bulk.WriteToServer(rows);
                }
            }
            catch (SqlException)
            {
                // SqlBulkCopy does not say which row of the batch the server refused.
                Target.ReportFailedRows(first, first + Target.BatchSize - 1);
                throw;
            }

            written += bulk.RowsCopied64;
        }
        while (async ? await rows.NextResultAsync(cancellationToken).ConfigureAwait(false) : rows.NextResult());

        return written;
    }
}
