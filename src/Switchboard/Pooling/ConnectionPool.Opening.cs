using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Switchboard.Diagnostics;
using Switchboard.Dialects;

namespace Switchboard.Pooling;

// Opening physical connections: for a caller, for the min_idle fill, and the connect itself.
internal sealed partial class ConnectionPool
{
    /// <summary>Opens a connection in a slot the caller reserved, and marks it in use for the caller.</summary>
    private async ValueTask<PooledConnection> OpenForCallerAsync(bool async, CancellationToken cancellationToken)
    {
        var connection = await OpenPhysicalAsync(async, cancellationToken).ConfigureAwait(false);
        bool disposed;
        lock (_gate)
        {
            disposed = _disposed;
            if (!disposed)
            {
                MarkInUse(connection);
            }
            else
            {
                _size--;
                connection.State = PooledConnection.ConnectionState.Closed;
            }
        }

        if (disposed)
        {
            Close(connection, "disposed");
            ThrowIfDisposed();
        }

        return connection;
    }

    /// <summary>Opens a connection in a slot reserved by housekeeping, and pools it (or hands it to a waiter).</summary>
    private async Task FillAsync()
    {
        if (HostLimiter is { } host && !host.TryAcquire())
        {
            // The host cap is reached: a background fill never takes a connection a caller waits for.
            FreeSlots();
            return;
        }

        PooledConnection connection;
        try
        {
            connection = await OpenPhysicalAsync(async: true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ConnectionException exception)
        {
            Log.FillFailed(_logger, exception, Name);
            return;
        }

        bool disposed;
        lock (_gate)
        {
            disposed = _disposed;
            if (!disposed)
            {
                _inUse++;
                connection.State = PooledConnection.ConnectionState.InUse;
                connection.Lease++;
            }
            else
            {
                connection.State = PooledConnection.ConnectionState.Closed;
            }
        }

        if (disposed)
        {
            // The pool went away while this connection was opening in the background: close it, never pool it.
            Close(connection, "disposed");
            FreeSlots();
            return;
        }

        ReturnUnderLock(connection, connection.Lease);
    }

    /// <summary>Opens a physical connection in a reserved slot, runs <c>init_command</c>, and raises Connect; frees the slot on failure.</summary>
    private async ValueTask<PooledConnection> OpenPhysicalAsync(bool async, CancellationToken cancellationToken)
    {
        DbConnection? db = null;
        int generation;
        lock (_gate)
        {
            generation = _generation;
        }

        var started = PoolMetrics.CreateTime.Enabled ? _time.GetTimestamp() : 0;
        try
        {
            db = _source.CreateConnection();
            if (async)
            {
                await _source.OpenAsync(db, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _source.Open(db);
            }

            if (_initCommand is not null)
            {
                var command = db.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.CommandText = _initCommand;
                    if (async)
                    {
                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        command.ExecuteNonQuery();
                    }
                }
            }
        }
        catch (Exception exception)
        {
            db?.Dispose();
            HostLimiter?.Release();
            FreeSlots();
            if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw ConnectFailed(exception);
        }

        if (started != 0)
        {
            PoolMetrics.RecordSeconds(PoolMetrics.CreateTime, _time.GetElapsedTime(started), this);
        }

        var now = _time.GetTimestamp();
        var connection = new PooledConnection(db, this, now, generation, Jittered(_recycle), _time.TimestampFrequency) { ReturnedAt = now };
        lock (_gate)
        {
            _opened++;
            _all.Add(connection);
        }

        Raise(ConnectionEventKind.Connect, connection, null);
        return connection;
    }
}
