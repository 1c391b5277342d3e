using System.Data.Common;
using Switchboard.Dialects;
using Switchboard.Records;
using Switchboard.Routing;

namespace Switchboard;

// InsertAll: many new records in few round trips, all or nothing.
public abstract partial class ActiveRecord<T>
{
    /// <summary>
    /// Inserts new records in batches, all or nothing, on the model's connection here and now, and returns the number of
    /// rows inserted. Each record then holds its key and saves back as a loaded record.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Records whose key the database generates (and is not set) are sent as single-row INSERTs batched in one command,
    /// each returning its own key, so that every key is known to belong to its record (a multi-row INSERT's RETURNING
    /// lists keys in no defined order). Where a command holds one statement (Oracle), or one prepared statement per row
    /// is faster (SQLite, with no round trip to save), such records are inserted one statement each. Records with their
    /// key set, and models without a generated key, go in multi-row INSERTs. Every command stays within the engine's
    /// limits (<see cref="SqlDialect.MaxParameters"/>, <see cref="SqlDialect.MaxRowsPerInsert"/>).
    /// </para>
    /// <para>
    /// It runs in a transaction of its own, or, inside an open transaction on the connection, in a savepoint of it: when a
    /// row fails, no row is inserted and the records are left as they were.
    /// </para>
    /// </remarks>
    /// <param name="records">New records: never saved, loaded or given twice.</param>
    /// <exception cref="ArgumentException">A record is null, was saved or loaded already, or appears twice.</exception>
    public static long InsertAll(IEnumerable<T> records) => InsertAllAsync(records, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="InsertAll(IEnumerable{T})"/>
    public static Task<long> InsertAllAsync(IEnumerable<T> records, CancellationToken cancellationToken = default) =>
        InsertAllAsync(records, async: true, cancellationToken).AsTask();

    private static async ValueTask<long> InsertAllAsync(IEnumerable<T> records, bool async, CancellationToken cancellationToken)
    {
        var list = NewRecords(records);
        if (list.Count == 0)
        {
            return 0;
        }

        var connection = ResolveForWrite();
        var mapping = await connection.Mappings.GetAsync<T>(async, cancellationToken).ConfigureAwait(false);
        var key = mapping.Key;
        var generated = key is { Info.IsGenerated: true } ? list.Where(key.IsDefault).ToList() : [];
        var explicitKeys = generated.Count == 0 ? list : [.. list.Where(r => !key!.IsDefault(r))];
        var keys = new object?[generated.Count];
        long inserted = 0;
        // A transaction of its own, or a savepoint of the open one: a failed row leaves no row inserted.
        var transaction = new Transaction(connection);
        try
        {
            inserted += await InsertRowsAsync(connection, mapping, explicitKeys, async, cancellationToken).ConfigureAwait(false);
            inserted += await InsertReturningKeysAsync(connection, mapping, generated, keys, async, cancellationToken).ConfigureAwait(false);
            ConvertKeys(connection, key, keys);
            if (async)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                transaction.Commit();
            }
        }
        finally
        {
            if (async)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                transaction.Dispose();
            }
        }

        // Only once the rows are committed (or saved in the open transaction) do the records change.
        for (var i = 0; i < generated.Count; i++)
        {
            key!.Set(generated[i], keys[i]);
        }

        foreach (var record in list)
        {
            record.Loaded(connection, mapping);
        }

        return inserted;
    }

    /// <summary>
    /// Turns the keys read back into the key property's type before the commit, so that a key that cannot be held fails
    /// the call while its rows can still be rolled back, never after they are stored.
    /// </summary>
    private static void ConvertKeys(Connection connection, ModelMapping<T>.MappedColumn? key, object?[] keys)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] is null)
            {
                throw new SwitchboardException(
                    $"InsertAll on '{connection.Name}' read back no key for a {typeof(T).Name} whose key the database generates; nothing was inserted. "
                    + $"Check that {typeof(T).Name}.{key!.Info.Property.Name} is the table's generated key, or mark it [DatabaseGenerated(DatabaseGeneratedOption.None)] and set it.",
                    connection.Name,
                    isTransient: false,
                    innerException: null);
            }

            keys[i] = ValueConverter.To(keys[i], key!.Info.Property.PropertyType);
        }
    }

    // Routing: InsertAll writes new records, which go where the model's new records go (Save's rule for a new record).
    private static Connection ResolveForWrite() => ModelRouter.Resolve<T>(null);

    private static List<T> NewRecords(IEnumerable<T> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var list = records.ToList();
        var seen = new HashSet<T>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < list.Count; i++)
        {
            var record = list[i] ?? throw new ArgumentException($"InsertAll: record {i} is null. Pass records only.", nameof(records));
            if (!record.IsNewRecord)
            {
                throw new ArgumentException(
                    $"InsertAll: record {i} ({typeof(T).Name}) was saved or loaded already, so it has a row. InsertAll inserts new records only; call Save to update it.",
                    nameof(records));
            }

            if (!seen.Add(record))
            {
                throw new ArgumentException($"InsertAll: record {i} ({typeof(T).Name}) is given twice. Give each record once.", nameof(records));
            }
        }

        return list;
    }

    /// <summary>Multi-row INSERTs of records whose key is set or not generated; no key is read back.</summary>
    private static async ValueTask<long> InsertRowsAsync(Connection connection, ModelMapping<T> mapping, List<T> records, bool async, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return 0;
        }

        var columns = mapping.InsertPlan(withKey: true).Columns;
        if (columns.Length == 0)
        {
            return await InsertOneByOneAsync(connection, mapping, records, null, async, cancellationToken).ConfigureAwait(false);
        }

        var size = InsertBatch.RowsPerCommand(connection.Dialect, columns.Length, multiRow: true);
        long inserted = 0;
        InsertBatch? plan = null;
        for (var start = 0; start < records.Count; start += size)
        {
            var rows = records.GetRange(start, Math.Min(size, records.Count - start));
            if (plan is null || plan.Rows != rows.Count)
            {
                plan = InsertBatch.MultiRow(mapping, columns, rows.Count);
            }

            inserted += await connection.RunAsync(plan.Sql, CommandParameters.ForRecord(rows, plan), Connection.ExecuteNonQuery, async, cancellationToken, Routing.Replicas.StatementAccess.Write).ConfigureAwait(false);
        }

        return inserted;
    }

    /// <summary>Records whose key the database generates: single-row INSERTs batched in one command, each returning its key in order.</summary>
    private static async ValueTask<long> InsertReturningKeysAsync(Connection connection, ModelMapping<T> mapping, List<T> records, object?[] keys, bool async, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return 0;
        }

        var single = mapping.InsertPlan(withKey: false);
        var dialect = connection.Dialect;
        if (!dialect.SupportsStatementBatches || single.Columns.Length == 0)
        {
            return await InsertOneByOneAsync(connection, mapping, records, keys, async, cancellationToken).ConfigureAwait(false);
        }

        var columns = single.Columns;
        var size = InsertBatch.RowsPerCommand(dialect, columns.Length, multiRow: false);
        InsertBatch? plan = null;
        for (var start = 0; start < records.Count; start += size)
        {
            var rows = records.GetRange(start, Math.Min(size, records.Count - start));
            if (plan is null || plan.Rows != rows.Count)
            {
                plan = InsertBatch.ReturningKeys(mapping, columns, rows.Count);
            }

            var batch = await connection.RunAsync(plan.Sql, CommandParameters.ForRecord(rows, plan), ReadKeys, async, cancellationToken, Routing.Replicas.StatementAccess.Write).ConfigureAwait(false);
            if (batch.Count != rows.Count)
            {
                throw new SwitchboardException(
                    $"InsertAll on '{connection.Name}' sent {rows.Count} rows of {typeof(T).Name} but read back {batch.Count} keys, so the keys cannot be matched to the records; nothing was inserted. "
                    + "A trigger that returns rows of its own can cause this; insert these records with Save instead.",
                    connection.Name,
                    isTransient: false,
                    innerException: null);
            }

            batch.CopyTo(keys, start);
        }

        return records.Count;
    }

    /// <summary>One INSERT per record (no statement batches, or a table with no column to name), reading each generated key when <paramref name="keys"/> is given.</summary>
    private static async ValueTask<long> InsertOneByOneAsync(Connection connection, ModelMapping<T> mapping, List<T> records, object?[]? keys, bool async, CancellationToken cancellationToken)
    {
        var plan = mapping.InsertPlan(withKey: keys is null);
        for (var i = 0; i < records.Count; i++)
        {
            var parameters = CommandParameters.ForRecord(records[i], plan);
            if (keys is null)
            {
                await connection.RunAsync(plan.Sql, parameters, Connection.ExecuteNonQuery, async, cancellationToken, Routing.Replicas.StatementAccess.Write).ConfigureAwait(false);
            }
            else
            {
                keys[i] = await connection.RunAsync(plan.Sql, parameters, ExecuteInsert, async, cancellationToken, Routing.Replicas.StatementAccess.Write).ConfigureAwait(false);
            }
        }

        return records.Count;
    }

    /// <summary>Every result's first value, result after result: one generated key per statement of the batch.</summary>
    private static async ValueTask<List<object?>> ReadKeys(DbCommand command, ConnectionLease lease, bool async, CancellationToken cancellationToken)
    {
        var keys = new List<object?>();
        var reader = async ? await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteReader();
        await using (reader.ConfigureAwait(false))
        {
            do
            {
                if (reader.FieldCount == 0)
                {
                    continue;
                }

                while (async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read())
                {
                    keys.Add(reader.IsDBNull(0) ? null : reader.GetValue(0));
                }
            }
            while (async ? await reader.NextResultAsync(cancellationToken).ConfigureAwait(false) : reader.NextResult());
        }

        return keys;
    }

    /// <summary>A statement on several records' columns, binding row r's column c as parameter <c>p{c}_{r}</c>.</summary>
    internal sealed class InsertBatch(string sql, ModelMapping<T>.MappedColumn[] columns, string[][] bound) : IRecordParameters
    {
        public string Sql { get; } = sql;

        public int Rows => bound.Length;

        /// <summary>How many rows of <paramref name="columns"/> columns one command carries within the dialect's limits.</summary>
        public static int RowsPerCommand(SqlDialect dialect, int columns, bool multiRow) =>
            Math.Max(1, Math.Min(multiRow ? dialect.MaxRowsPerInsert : int.MaxValue, dialect.MaxParameters / Math.Max(1, columns)));

        /// <summary>One multi-row INSERT of <paramref name="rows"/> rows.</summary>
        public static InsertBatch MultiRow(ModelMapping<T> mapping, ModelMapping<T>.MappedColumn[] columns, int rows)
        {
            var dialect = mapping.Dialect;
            var names = Names(columns, rows);
            return new InsertBatch(
                dialect.InsertRows(mapping.Table, [.. columns.Select(c => c.Quoted)], [.. names.Select(row => (IReadOnlyList<string>)[.. row.Select(dialect.ParameterPlaceholder)])]),
                columns,
                Bound(dialect, names));
        }

        /// <summary><paramref name="rows"/> single-row INSERTs in one command, each returning its generated key.</summary>
        public static InsertBatch ReturningKeys(ModelMapping<T> mapping, ModelMapping<T>.MappedColumn[] columns, int rows)
        {
            var dialect = mapping.Dialect;
            var names = Names(columns, rows);
            var quoted = columns.Select(c => c.Quoted).ToArray();
            return new InsertBatch(
                string.Join("; ", names.Select(row => dialect.Insert(mapping.Table, quoted, [.. row.Select(dialect.ParameterPlaceholder)], mapping.Key!.Quoted))),
                columns,
                Bound(dialect, names));
        }

        /// <summary>The driver's names of the parameters, computed once per batch shape.</summary>
        private static string[][] Bound(SqlDialect dialect, string[][] names) => [.. names.Select(row => row.Select(dialect.GeneratedParameterName).ToArray())];

        private static string[][] Names(ModelMapping<T>.MappedColumn[] columns, int rows) =>
            [.. Enumerable.Range(0, rows).Select(r => columns.Select(c => "p" + c.Index + "_" + r).ToArray())];

        public void Bind(DbCommand command, SqlDialect dialect, object records)
        {
            var rows = (List<T>)records;
            var index = 0;
            for (var r = 0; r < rows.Count; r++)
            {
                for (var c = 0; c < columns.Length; c++)
                {
                    ParameterBinder.SetExact(command, dialect, index++, bound[r][c], columns[c].Get(rows[r]));
                }
            }

            ParameterBinder.TrimTo(command, index);
        }
    }
}
