using System.Data.Common;

namespace Switchboard;

// Reading a query's rows into records: every row, or the first.
public sealed partial class Query<T>
{
    private static async ValueTask<T?> ReadSingle(DbCommand command, ConnectionLease lease, bool async, CancellationToken cancellationToken)
    {
        var connection = lease.Connection.Pool.Owner;
        var reader = async ? await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteReader();
        await using (reader.ConfigureAwait(false))
        {
            if (!(async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read()))
            {
                return null;
            }

            var mapping = connection.Mappings.For<T>();
            var record = mapping.Materialize(reader);
            record.Loaded(connection, mapping);
            return record;
        }
    }

    private static async ValueTask<List<T>> ReadRecords(DbCommand command, ConnectionLease lease, bool async, CancellationToken cancellationToken)
    {
        var connection = lease.Connection.Pool.Owner;
        var mapping = connection.Mappings.For<T>();
        var records = new List<T>();
        var reader = async ? await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteReader();
        await using (reader.ConfigureAwait(false))
        {
            while (async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read())
            {
                var record = mapping.Materialize(reader);
                record.Loaded(connection, mapping);
                records.Add(record);
            }
        }

        return records;
    }
}
