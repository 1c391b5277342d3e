using System.Data.Common;
using Switchboard.Copying;

namespace Switchboard;

// Streaming copy of a whole table to another connection, column by column name, through the target engine's bulk path.
public sealed partial class Connection
{
    /// <summary>The time each statement may take (zero: no limit), for statements run outside <see cref="RunAsync"/>.</summary>
    internal TimeSpan CommandTimeout => _commandTimeout;

    /// <summary>
    /// Copies every row of <paramref name="table"/> on this connection into the table of the same name on another
    /// connection, through that engine's bulk path, in one transaction on the target. Each column goes to the target column
    /// of the same name (exact, then ignoring case, then ignoring underscores); target columns the source lacks get their
    /// defaults. Rows stream, so memory does not grow with their number; on failure or cancellation the target is unchanged.
    /// </summary>
    /// <param name="table">The table's name, as the database spells it; <c>schema.table</c> for another schema.</param>
    /// <param name="targetConnectionName">The connection to copy to.</param>
    /// <param name="options">Batch size and progress; null for the defaults.</param>
    /// <returns>The rows written and the time taken.</returns>
    /// <exception cref="SwitchboardException">A row could not be read or written; the message names the row by number (and key when the table has one), and the target is unchanged.</exception>
    /// <exception cref="ArgumentException">The target is this connection, or a source column has no column on the target.</exception>
    public CopyResult CopyTable(string table, string targetConnectionName, CopyOptions? options = null) =>
        CopyRunner.RunAsync(TableCopyPlan(table, targetConnectionName), options, async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc cref="CopyTable"/>
    /// <param name="table">The table's name, as the database spells it; <c>schema.table</c> for another schema.</param>
    /// <param name="targetConnectionName">The connection to copy to.</param>
    /// <param name="options">Batch size and progress; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the copy; the target is left unchanged.</param>
    public Task<CopyResult> CopyTableAsync(string table, string targetConnectionName, CopyOptions? options = null, CancellationToken cancellationToken = default) =>
        CopyRunner.RunAsync(TableCopyPlan(table, targetConnectionName), options, async: true, cancellationToken).AsTask();

    private CopyRunner.Plan TableCopyPlan(string table, string targetConnectionName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetConnectionName);
        var source = Current;
        var target = Registry.GetConnection(targetConnectionName).Current;
        if (ReferenceEquals(source, target) || source.Name == target.Name)
        {
            throw new ArgumentException(
                $"CopyTable would copy '{table}' onto the connection it is read from ('{Name}'). Name another connection as the target.",
                nameof(targetConnectionName));
        }

        var targetTable = QuoteTable(target, table);
        return new CopyRunner.Plan(
            $"table '{table}'",
            source,
            target,
            "SELECT * FROM " + QuoteTable(source, table),
            CommandParameters.None,
            targetTable,
            (reader, targetColumns) => MatchColumns(reader, targetColumns!, target, table),
            NeedsTargetColumns: true);
    }

    private static string QuoteTable(Connection connection, string table) =>
        string.Join(".", table.Split('.').Select(part => connection.Dialect.QuoteIdentifier(part.Trim())));

    /// <summary>Each source column's target column by name: exact, then ignoring case, then ignoring underscores.</summary>
    private static TableCopyRows MatchColumns(DbDataReader source, IReadOnlyList<string> targetColumns, Connection target, string table)
    {
        var ordinals = new int[source.FieldCount];
        var names = new string[source.FieldCount];
        var types = new Type[source.FieldCount];
        for (var i = 0; i < source.FieldCount; i++)
        {
            var name = source.GetName(i);
            var match = targetColumns.FirstOrDefault(c => c == name)
                ?? targetColumns.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase))
                ?? targetColumns.FirstOrDefault(c => string.Equals(c.Replace("_", "", StringComparison.Ordinal), name.Replace("_", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException(
                    $"Column '{name}' of table '{table}' has no column of that name in the table on '{target.Name}' (it has: {string.Join(", ", targetColumns)}). Add the column to the target table, or copy with a model query (Query<T>.CopyTo) that leaves it out.",
                    nameof(table));
            ordinals[i] = i;
            names[i] = match;
            types[i] = source.GetFieldType(i);
        }

        return new TableCopyRows(ordinals, names, [.. names.Select(target.Dialect.QuoteIdentifier)], types, KeyOrdinal(source));
    }

    /// <summary>The source's primary key column, named in messages about a failed row; -1 when the driver cannot tell.</summary>
    private static int KeyOrdinal(DbDataReader source)
    {
        try
        {
            var schema = source.GetColumnSchema();
            var keys = schema.Where(c => c.IsKey == true).ToList();
            return keys.Count == 1 && keys[0].ColumnOrdinal is { } ordinal ? ordinal : -1;
        }
        catch (Exception exception) when (exception is NotSupportedException or InvalidOperationException or InvalidCastException or DbException)
        {
            return -1;
        }
    }
}
