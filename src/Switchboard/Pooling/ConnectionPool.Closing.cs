namespace Switchboard.Pooling;

// Taking connections out of the pool and closing them: one found dead, the idle ones older than a lost one, the ones
// housekeeping sweeps, and the slots they free.
internal sealed partial class ConnectionPool
{
    /// <summary>Closes an in-use connection found dead, and the idle ones older than it, as a lost connection does.</summary>
    private void Discard(PooledConnection connection, ConnectionCloseReason reason)
    {
        List<PooledConnection>? older;
        lock (_gate)
        {
            _inUse--;
            connection.MarkClosed();
            older = RemoveIdleOpenedBefore(connection);
        }

        Telemetry.Invalidated(connection, reason);
        Close(connection, reason);
        CloseAll(older, ConnectionCloseReason.Invalidated);
        FreeSlots(1 + (older?.Count ?? 0));
    }

    /// <summary>
    /// Under the lock: takes out the idle connections opened no later than <paramref name="connection"/>. A method of
    /// its own, so that the closure is allocated only when a connection was lost, never on the check-in path.
    /// </summary>
    private List<PooledConnection>? RemoveIdleOpenedBefore(PooledConnection connection)
    {
        var createdAt = connection.CreatedAt;
        var older = _idle.RemoveWhere(c => c.CreatedAt <= createdAt);
        foreach (var stale in older ?? [])
        {
            stale.MarkClosed();
        }

        return older;
    }

    /// <summary>
    /// For housekeeping: takes out the idle connections past their age, then those idle for <paramref name="idleTimeout"/>
    /// or longer while more than <paramref name="keep"/> connections remain, all marked closed.
    /// </summary>
    /// <returns>What was taken out; null when the pool is disposed.</returns>
    internal (List<PooledConnection>? Aged, List<PooledConnection>? IdleOut)? TakeStaleIdle(TimeSpan? idleTimeout, int keep)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return null;
            }

            var now = _time.GetTimestamp();
            var aged = _idle.RemoveWhere(c => IsRetired(c, now));
            var spare = _size - (aged?.Count ?? 0) - keep;
            var idleOut = spare <= 0 || idleTimeout is not { } limit
                ? null
                : _idle.RemoveWhere(c => _time.GetElapsedTime(c.ReturnedAt, now) >= limit && spare-- > 0);
            foreach (var connection in (aged ?? []).Concat(idleOut ?? []))
            {
                connection.MarkClosed();
            }

            return (aged, idleOut);
        }
    }

    /// <summary>For housekeeping: reserves the slots of the connections to open in the background so that the pool holds <paramref name="target"/>, within its bound.</summary>
    /// <returns>How many slots were reserved; each is for <see cref="FillReservedSlotAsync"/>.</returns>
    internal int ReserveSlotsUpTo(int target)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return 0;
            }

            var toOpen = Math.Max(0, Math.Min(target - _size, _maxSize - _size));
            _size += toOpen;
            return toOpen;
        }
    }

    /// <summary>Closes connections taken out of the pool, and only then frees their slots, so that a replacement never opens before they are gone.</summary>
    internal void CloseAndFreeSlots(List<PooledConnection>? connections, ConnectionCloseReason reason)
    {
        if (connections is { Count: > 0 })
        {
            CloseAll(connections, reason);
            FreeSlots(connections.Count);
        }
    }

    private void CloseAll(List<PooledConnection>? connections, ConnectionCloseReason reason)
    {
        if (connections is null)
        {
            return;
        }

        foreach (var connection in connections)
        {
            Close(connection, reason);
        }
    }

    private void Close(PooledConnection connection, ConnectionCloseReason reason)
    {
        try
        {
            connection.Close();
        }
        catch (Exception exception)
        {
            Telemetry.CloseFailed(connection, exception);
        }

        lock (_gate)
        {
            _closed++;
            _all.Remove(connection);
        }

        HostLimiter?.Release();
        Telemetry.Closed(connection, reason);
    }
}
