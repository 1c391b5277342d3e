namespace Switchboard.Pooling;

// Giving a connection back: checked against its lease first, then pooled, handed to the first waiter, or closed.
internal sealed partial class ConnectionPool
{
    /// <summary>Gives a connection back: pooled, handed to the first waiter, or closed when it is broken, retired or the pool is gone.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="lease">The lease number read when it was rented; a second return of the same lease is ignored.</param>
    public void Return(PooledConnection connection, int lease)
    {
        if (!ReferenceEquals(connection.Pool, this))
        {
            // Rented through a replaced pool, which forwarded the caller to its successor: it belongs there.
            connection.Pool.Return(connection, lease);
            return;
        }

        // The common case, one lock: no transaction to roll back and nobody listening for check-ins.
        if (connection.Transaction is null && !Telemetry.HasHandlers(ConnectionEventKind.Checkin))
        {
            ReturnUnderLock(connection, lease);
            return;
        }

        lock (_gate)
        {
            if (!IsCurrentLease(connection, lease))
            {
                return;
            }
        }

        Telemetry.CheckedIn(connection);
        if (connection.DetachTransaction() is { } transaction)
        {
            // Never hand the next caller an open transaction.
            try
            {
                transaction.Rollback();
            }
            catch (Exception exception)
            {
                Telemetry.ResetFailed(connection, exception);
                connection.Break();
            }
            finally
            {
                transaction.Dispose();
            }
        }

        ReturnUnderLock(connection, lease);
    }

    private bool IsCurrentLease(PooledConnection connection, int lease)
    {
        if (connection.IsLeasedAs(lease))
        {
            return true;
        }

        // A connection closed under its holder by a forced dispose comes back as well: nothing to say then.
        if (!(_disposed && connection.State == PooledConnection.ConnectionState.Closed))
        {
            Telemetry.DoubleReturn(connection);
        }

        return false;
    }

    private void ReturnUnderLock(PooledConnection connection, int lease)
    {
        ConnectionCloseReason? closeReason = null;
        List<PooledConnection>? older = null;
        var now = _time.GetTimestamp();
        PooledConnection.EndedLease ended;
        lock (_gate)
        {
            // The lease is checked before anything of the lease is touched: a stale second return must leave the
            // current holder's leak timer and use-time sample alone.
            if (!IsCurrentLease(connection, lease))
            {
                return;
            }

            ended = connection.EndLeaseClock();
            _inUse--;
            if (_disposed || connection.Broken || IsRetired(connection, now))
            {
                closeReason = _disposed ? ConnectionCloseReason.Disposed : connection.Broken || connection.TimedOut ? connection.BreakReason : ConnectionCloseReason.Recycled;
                connection.MarkClosed();
                if (connection.Disconnected && !_disposed)
                {
                    // The server may have gone away for all of them: discard idle connections opened before this one.
                    older = RemoveIdleOpenedBefore(connection);
                }
            }
            else if (_waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                first.Value.Node = null;
                MarkInUse(connection);
                first.Value.Complete(connection);
            }
            else
            {
                connection.MarkIdle(now);
                _idle.Add(connection);
                LastUsed = now;
            }

            if (_inUse == 0 && _drained is { } drained)
            {
                drained.TrySetResult();
            }
        }

        Telemetry.LeaseEnded(connection, ended, _time.GetElapsedTime(ended.LeasedAt, now));
        if (closeReason is not { } reason)
        {
            if (HostLimiter is { HasWaiters: true } host)
            {
                // A caller of another pool on this host waits for the host cap: this idle connection may make room.
                host.MakeRoom();
            }

            return;
        }

        if (connection.Disconnected)
        {
            Telemetry.Lost(connection, older?.Count ?? 0);
        }

        Close(connection, reason);
        CloseAll(older, ConnectionCloseReason.Invalidated);
        FreeSlots(1 + (older?.Count ?? 0));
    }
}
