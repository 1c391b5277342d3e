using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;
using Switchboard.Dialects;

namespace Switchboard.PostgreSql;

/// <summary>
/// PostgreSQL's bulk path: one binary <c>COPY ... FROM STDIN</c> per batch, each value written as the target column's
/// own type (read once from the table), then the sequences behind serial and identity columns moved past the copied values.
/// </summary>
internal sealed partial class PostgreSqlBulkWriter(BulkWriteTarget target) : BulkWriter(target)
{
    private NpgsqlDbType?[] _types = [];
    private Type[] _clrTypes = [];
    private TypedWriter?[] _writers = [];

    protected override async ValueTask<long> WriteCoreAsync(DbDataReader rows, bool async, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)Target.Connection;
        await ReadColumnTypesAsync(async, cancellationToken).ConfigureAwait(false);
        var copy = $"COPY {Target.Table} ({string.Join(", ", Target.QuotedColumns)}) FROM STDIN (FORMAT BINARY)";
        var written = 0L;
        do
        {
            // A COPY is begun only for a batch that has a row: an empty COPY cancelled later would abort the transaction.
            if (!(async ? await rows.ReadAsync(cancellationToken).ConfigureAwait(false) : rows.Read()))
            {
                continue;
            }

            var first = written + 1;
            var importer = async ? await connection.BeginBinaryImportAsync(copy, cancellationToken).ConfigureAwait(false) : connection.BeginBinaryImport(copy);
            await using (importer.ConfigureAwait(false))
            {
                if (Target.CommandTimeout > TimeSpan.Zero)
                {
                    importer.Timeout = Target.CommandTimeout;
                }

                var inBatch = 0L;
                do
                {
                    await WriteRowAsync(importer, rows, async, cancellationToken).ConfigureAwait(false);
                    inBatch++;
                }
                while (async ? await rows.ReadAsync(cancellationToken).ConfigureAwait(false) : rows.Read());

                try
                {
                    _ = async ? await importer.CompleteAsync(cancellationToken).ConfigureAwait(false) : importer.Complete();
                }
                catch (PostgresException exception)
                {
                    // The server names the failed line of this COPY ("COPY posts, line 7, column title"): the batch's 7th row.
                    var line = exception.Where is { } where && LinePattern().Match(where) is { Success: true } match
                        && long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= inBatch
                        ? number
                        : 0;
                    if (line > 0)
                    {
                        Target.ReportFailedRows(first + line - 1, first + line - 1);
                    }
                    else
                    {
                        Target.ReportFailedRows(first, first + inBatch - 1);
                    }

                    throw;
                }

                written += inBatch;
            }
        }
        while (async ? await rows.NextResultAsync(cancellationToken).ConfigureAwait(false) : rows.NextResult());

        return written;
    }

    /// <summary>Moves each serial or identity sequence of the table past the largest value now in its column; never backwards.</summary>
    protected override async ValueTask FinishAsync(bool async, CancellationToken cancellationToken)
    {
        var sequences = new List<(string Column, string Sequence)>();
        using (var find = CreateCommand(
            "SELECT a.attname, pg_get_serial_sequence(@table, a.attname) FROM pg_attribute a "
            + "WHERE a.attrelid = @table::regclass AND a.attnum > 0 AND NOT a.attisdropped AND pg_get_serial_sequence(@table, a.attname) IS NOT NULL"))
        {
            find.Parameters.Add(new NpgsqlParameter<string>("table", Target.Table));
            var reader = async ? await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false) : find.ExecuteReader();
            await using (reader.ConfigureAwait(false))
            {
                while (async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read())
                {
                    sequences.Add((reader.GetString(0), reader.GetString(1)));
                }
            }
        }

        foreach (var (column, sequence) in sequences)
        {
            var index = IndexOf(column);
            if (index < 0)
            {
                continue;
            }

            // The sequence's name comes from the catalog, already quoted and qualified where it needs to be.
            using var move = CreateCommand(
                $"SELECT setval(@sequence, m) FROM (SELECT MAX({Target.QuotedColumns[index]}) AS m FROM {Target.Table}) copied "
                + $"WHERE m IS NOT NULL AND m >= (SELECT last_value FROM {sequence})");
            move.Parameters.Add(new NpgsqlParameter<string>("sequence", sequence));
            _ = async ? await move.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) : move.ExecuteScalar();
        }
    }

    private int IndexOf(string column)
    {
        for (var i = 0; i < Target.Columns.Count; i++)
        {
            if (Target.Columns[i] == column)
            {
                return i;
            }
        }

        return -1;
    }

    private async ValueTask ReadColumnTypesAsync(bool async, CancellationToken cancellationToken)
    {
        using var probe = CreateCommand($"SELECT {string.Join(", ", Target.QuotedColumns)} FROM {Target.Table} WHERE false");
        var reader = (NpgsqlDataReader)(async ? await probe.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false) : probe.ExecuteReader());
        await using (reader.ConfigureAwait(false))
        {
            IEnumerable<Npgsql.Schema.NpgsqlDbColumn> schema = async
                ? (await reader.GetColumnSchemaAsync(cancellationToken).ConfigureAwait(false)).Cast<Npgsql.Schema.NpgsqlDbColumn>()
                : reader.GetColumnSchema();
            _types = [.. schema.Select(c => c.NpgsqlDbType)];
            _clrTypes = [.. schema.Select(c => c.DataType ?? typeof(object))];
            _writers = new TypedWriter?[_types.Length];
        }
    }

    private async ValueTask WriteRowAsync(NpgsqlBinaryImporter importer, DbDataReader rows, bool async, CancellationToken cancellationToken)
    {
        if (async)
        {
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            importer.StartRow();
        }

        for (var i = 0; i < _types.Length; i++)
        {
            var value = rows.GetValue(i);
            if (value is DBNull)
            {
                if (async)
                {
                    await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    importer.WriteNull();
                }

                continue;
            }

            value = PostgreSqlCopyValues.Fit(value, _clrTypes[i], _types[i]);
            if (_types[i] is { } type)
            {
                // Written as its own type (Write<int>, not Write<object>), so that Npgsql does not look the type up per value.
                var writer = _writers[i];
                if (writer is null || writer.Type != value.GetType())
                {
                    writer = _writers[i] = TypedWriter.For(value.GetType());
                }

                if (async)
                {
                    await writer.WriteAsync(importer, value, type, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    writer.Write(importer, value, type);
                }
            }
            else if (async)
            {
                await importer.WriteAsync(value, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                importer.Write(value);
            }
        }
    }

    /// <summary>Writes a boxed value through the importer's generic method for its runtime type.</summary>
    private abstract class TypedWriter
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, TypedWriter> Writers = new();

        public abstract Type Type { get; }

        public static TypedWriter For(Type type) =>
            Writers.GetOrAdd(type, static t => (TypedWriter)Activator.CreateInstance(typeof(TypedWriter<>).MakeGenericType(t))!);

        public abstract void Write(NpgsqlBinaryImporter importer, object value, NpgsqlDbType type);

        public abstract Task WriteAsync(NpgsqlBinaryImporter importer, object value, NpgsqlDbType type, CancellationToken cancellationToken);
    }

    private sealed class TypedWriter<T> : TypedWriter
    {
        public override Type Type => typeof(T);

        public override void Write(NpgsqlBinaryImporter importer, object value, NpgsqlDbType type) => importer.Write((T)value, type);

        public override Task WriteAsync(NpgsqlBinaryImporter importer, object value, NpgsqlDbType type, CancellationToken cancellationToken) =>
            importer.WriteAsync((T)value, type, cancellationToken);
    }

    [GeneratedRegex(@"line (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex LinePattern();
}
