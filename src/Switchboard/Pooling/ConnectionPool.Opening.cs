namespace Switchboard.Pooling;

// Opening physical connections: for a caller, for the min_idle fill, and the slot and count keeping around the connect.
internal sealed partial class ConnectionPool
{
    /// <summary>
    /// Wraps a driver exception thrown while opening: what the driver said and the advice its engine gives for it (or to
    /// check the target's settings), with every part of the password removed from the text and the exception inside.
    /// </summary>
    public ConnectionException ConnectFailed(Exception exception)
    {
        var said = Scrub(exception.Message).TrimEnd();
        var advice = _driver.ExplainFailure(exception, statement: null)
            ?? $"Check the host, port, database and credentials configured for '{Name}'.";
        return new ConnectionException(
            $"Could not open a connection for '{Name}' ({Target}): {said}{(said.EndsWith('.') ? "" : ".")} {Scrub(advice)}",
            Name,
            _driver.IsTransient(exception),
            Scrub(exception));
    }

    /// <summary>Opens a connection in a slot reserved by housekeeping, and pools it (or hands it to a waiter).</summary>
    internal async Task FillReservedSlotAsync()
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
            Telemetry.FillFailed(exception);
            return;
        }

        if (!TryMarkOpenedInUse(connection))
        {
            // The pool went away while this connection was opening in the background: close it, never pool it.
            Close(connection, ConnectionCloseReason.Disposed);
            FreeSlots();
            return;
        }

        ReturnUnderLock(connection, connection.Lease);
    }

    /// <summary>Opens a connection in a slot the caller reserved, and marks it in use for the caller.</summary>
    private async ValueTask<PooledConnection> OpenForCallerAsync(bool async, CancellationToken cancellationToken)
    {
        var connection = await OpenPhysicalAsync(async, cancellationToken).ConfigureAwait(false);
        if (!TryMarkOpenedInUse(connection))
        {
            lock (_gate)
            {
                _size--;
            }

            Close(connection, ConnectionCloseReason.Disposed);
            ThrowIfDisposed();
        }

        return connection;
    }

    /// <summary>A connection just opened goes to its opener, unless the pool was disposed meanwhile (it is then marked closed).</summary>
    private bool TryMarkOpenedInUse(PooledConnection connection)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                connection.MarkClosed();
                return false;
            }

            MarkInUse(connection);
            return true;
        }
    }

    /// <summary>Opens a physical connection in a reserved slot, runs <c>init_command</c>, and raises Connect; frees the slot on failure.</summary>
    private async ValueTask<PooledConnection> OpenPhysicalAsync(bool async, CancellationToken cancellationToken)
    {
        int generation;
        lock (_gate)
        {
            generation = _generation;
        }

        var started = PoolTelemetry.TimesConnects ? _time.GetTimestamp() : 0;
        PooledConnection connection;
        try
        {
            connection = await PooledConnection.OpenAsync(this, generation, PoolHousekeeper.Jittered(_recycle), _initCommand, async, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            HostLimiter?.Release();
            FreeSlots();
            if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw ConnectFailed(exception);
        }

        lock (_gate)
        {
            _opened++;
            _all.Add(connection);
        }

        Telemetry.Connected(connection, started != 0 ? _time.GetElapsedTime(started) : null);
        return connection;
    }
}
