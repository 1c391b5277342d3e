using System.Data.Common;

namespace Switchboard.Dialects;

/// <summary>
/// Writes rows into one table through an engine's bulk path (PostgreSQL's binary COPY, MySqlBulkCopy, SqlBulkCopy, a
/// prepared INSERT), made by <see cref="DatabaseDriver.CreateBulkWriter"/>. It reads the rows as they come and holds at
/// most one batch, so that a copy's memory does not grow with its rows. It never commits: the caller owns the transaction.
/// </summary>
public abstract class BulkWriter
{
    /// <summary>Creates a writer for a target.</summary>
    /// <param name="target">The table, columns, connection and transaction.</param>
    protected BulkWriter(BulkWriteTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Target = target;
    }

    /// <summary>The table, columns, connection and transaction.</summary>
    public BulkWriteTarget Target { get; }

    /// <summary>Writes every row of <paramref name="rows"/> and returns how many were written.</summary>
    /// <param name="rows">One value per column of <see cref="BulkWriteTarget.Columns"/>, in that order.</param>
    /// <exception cref="DbException">The engine refused a row; <see cref="BulkWriteTarget.ReportFailedRows"/> says which, when the writer can tell.</exception>
    public long Write(DbDataReader rows) => WriteCoreAsync(rows, async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc cref="Write"/>
    /// <param name="rows">One value per column of <see cref="BulkWriteTarget.Columns"/>, in that order.</param>
    /// <param name="cancellationToken">Stops the write; what was written stays in the caller's transaction, which it then rolls back.</param>
    public Task<long> WriteAsync(DbDataReader rows, CancellationToken cancellationToken = default) => WriteCoreAsync(rows, async: true, cancellationToken).AsTask();

    /// <summary>Runs after every row was written, in the same transaction: moves what the engine generates (sequences) past the copied values.</summary>
    /// <param name="async">Whether to use the driver's async methods.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    protected internal virtual ValueTask FinishAsync(bool async, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Writes the rows, synchronously or not: one implementation for both.</summary>
    /// <param name="rows">One value per column, in the order of <see cref="BulkWriteTarget.Columns"/>.</param>
    /// <param name="async">Whether to use the driver's async methods.</param>
    /// <param name="cancellationToken">Stops the write.</param>
    /// <returns>The number of rows written.</returns>
    protected internal abstract ValueTask<long> WriteCoreAsync(DbDataReader rows, bool async, CancellationToken cancellationToken);

    /// <summary>Creates a command on the target's connection, in its transaction, with its timeout.</summary>
    /// <param name="sql">The statement.</param>
    protected DbCommand CreateCommand(string sql)
    {
        var command = Target.Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = Target.Transaction;
        command.CommandTimeout = Target.CommandTimeoutSeconds;
        return command;
    }
}
