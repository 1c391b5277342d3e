using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Switchboard.Diagnostics;
using Switchboard.Dialects;

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
        if (connection.Transaction is null && !HasHandlers(ConnectionEventKind.Checkin))
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

        Raise(ConnectionEventKind.Checkin, connection, null);
        if (connection.Transaction is { } transaction)
        {
            // Never hand the next caller an open transaction.
            connection.Transaction = null;
            try
            {
                transaction.Rollback();
            }
            catch (Exception exception)
            {
                Log.ResetFailed(_logger, Scrub(exception), connection.Id, Name);
                connection.Broken = true;
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
        if (connection.Lease == lease && connection.State == PooledConnection.ConnectionState.InUse)
        {
            return true;
        }

        // A connection closed under its holder by a forced dispose comes back as well: nothing to say then.
        if (!(_disposed && connection.State == PooledConnection.ConnectionState.Closed))
        {
            Log.DoubleReturn(_logger, connection.Id, Name);
        }

        return false;
    }

    /// <summary>Stops the ended lease's leak timer and records how long it was held.</summary>
    private void EndLease(ITimer? leakTimer, bool leakReported, long leasedAt, long connectionId, long now)
    {
        if (leakTimer is not null)
        {
            leakTimer.Dispose();
            if (leakReported)
            {
                Log.LeakedConnectionReturned(_logger, connectionId, Name, _time.GetElapsedTime(leasedAt, now).TotalSeconds);
            }
        }

        if (leasedAt != 0 && PoolMetrics.UseTime.Enabled)
        {
            PoolMetrics.RecordSeconds(PoolMetrics.UseTime, _time.GetElapsedTime(leasedAt, now), this);
        }
    }

    private void ReturnUnderLock(PooledConnection connection, int lease)
    {
        string? closeReason = null;
        List<PooledConnection>? older = null;
        var now = _time.GetTimestamp();
        ITimer? leakTimer;
        bool leakReported;
        long leasedAt;
        lock (_gate)
        {
            // The lease is checked before anything of the lease is touched: a stale second return must leave the
            // current holder's leak timer and use-time sample alone.
            if (!IsCurrentLease(connection, lease))
            {
                return;
            }

            leakTimer = connection.LeakTimer;
            leakReported = connection.LeakReported;
            leasedAt = connection.LeasedAt;
            connection.LeakTimer = null;
            _inUse--;
            if (_disposed || connection.Broken || IsRetired(connection, now))
            {
                closeReason = _disposed ? "disposed" : connection.Disconnected ? "disconnected" : connection.TimedOut ? "command timeout" : connection.Broken ? "broken" : "recycled";
                connection.State = PooledConnection.ConnectionState.Closed;
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
                connection.State = PooledConnection.ConnectionState.Idle;
                connection.ReturnedAt = now;
                _idle.Add(connection);
                LastUsed = now;
            }

            if (_inUse == 0 && _drained is { } drained)
            {
                drained.TrySetResult();
            }
        }

        EndLease(leakTimer, leakReported, leasedAt, connection.Id, now);
        if (closeReason is null)
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
            Log.Invalidated(_logger, connection.Id, Name, older?.Count ?? 0);
            Raise(ConnectionEventKind.Invalidate, connection, "disconnected");
        }

        Close(connection, closeReason);
        CloseAll(older, "invalidated");
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
            stale.State = PooledConnection.ConnectionState.Closed;
        }

        return older;
    }
}
