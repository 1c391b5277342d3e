using System.Data.Common;

namespace Switchboard.Dialects;

/// <summary>
/// Where a <see cref="BulkWriter"/> writes: a table and its columns on an open physical connection, inside the copy's
/// transaction. The rows it is given hold one value per column, in the order of <see cref="Columns"/>, already
/// converted as a parameter of this engine would be (null for NULL).
/// </summary>
public sealed class BulkWriteTarget
{
    private long _failedFirst;
    private long _failedLast;

    /// <summary>Describes a target.</summary>
    /// <param name="connection">The open physical connection.</param>
    /// <param name="transaction">The transaction every statement must join.</param>
    /// <param name="table">The table's name as written into SQL (quoted, schema-qualified when it has a schema).</param>
    /// <param name="columns">The columns' names as the database spells them, unquoted.</param>
    /// <param name="quotedColumns">The same columns as written into SQL.</param>
    /// <param name="batchSize">Rows per bulk statement.</param>
    /// <param name="commandTimeout">The time each statement may take (zero: no limit).</param>
    public BulkWriteTarget(DbConnection connection, DbTransaction? transaction, string table, IReadOnlyList<string> columns, IReadOnlyList<string> quotedColumns, int batchSize, TimeSpan commandTimeout)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(quotedColumns);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (columns.Count == 0 || columns.Count != quotedColumns.Count)
        {
            throw new ArgumentException("A bulk write needs at least one column, and as many quoted names as names.", nameof(columns));
        }

        Connection = connection;
        Transaction = transaction;
        Table = table;
        Columns = columns;
        QuotedColumns = quotedColumns;
        BatchSize = batchSize;
        CommandTimeout = commandTimeout;
    }

    /// <summary>The open physical connection.</summary>
    public DbConnection Connection { get; }

    /// <summary>The transaction every statement must join.</summary>
    public DbTransaction? Transaction { get; }

    /// <summary>The table's name as written into SQL (quoted).</summary>
    public string Table { get; }

    /// <summary>The columns' names as the database spells them, unquoted.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The columns as written into SQL (quoted).</summary>
    public IReadOnlyList<string> QuotedColumns { get; }

    /// <summary>Rows per bulk statement; what the writer holds at once is bounded by it.</summary>
    public int BatchSize { get; }

    /// <summary>The time each statement may take; zero means no limit.</summary>
    public TimeSpan CommandTimeout { get; }

    /// <summary>The command timeout in whole seconds, as ADO.NET takes it (0: no limit).</summary>
    public int CommandTimeoutSeconds => (int)Math.Ceiling(CommandTimeout.TotalSeconds);

    /// <summary>
    /// Says which rows (numbered from 1 in the order they were read) a failure is about, when the writer knows better than
    /// "the last row read": a failed COPY line, a failed multi-row INSERT. Call it before rethrowing.
    /// </summary>
    /// <param name="first">The first row the failure may be about.</param>
    /// <param name="last">The last row the failure may be about (<paramref name="first"/> when exactly one).</param>
    public void ReportFailedRows(long first, long last)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(first, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(last, first);
        _failedFirst = first;
        _failedLast = last;
    }

    /// <summary>The rows the writer said a failure is about, or null.</summary>
    internal (long First, long Last)? FailedRows => _failedFirst > 0 ? (_failedFirst, _failedLast) : null;

    /// <summary>Forgets a report (the writer is run again).</summary>
    internal void ClearFailedRows() => _failedFirst = _failedLast = 0;
}
