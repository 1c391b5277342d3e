using Switchboard.Diagnostics;

namespace Switchboard.Pooling;

// The pool as one of a fleet: retired whole when evicted (idle or over MaxOpenPools), giving up an idle connection
// when another pool on its host waits for the host cap, and taking a host permit before each connect.
internal sealed partial class ConnectionPool
{
    private List<PooledConnection>? _retiredIdle;

    // Set under the lock when the pool was let go by an eviction: renters go to the connection's next pool.
    private bool _retired;

    /// <summary>When a connection last came back idle (or the pool was made), by the pool's clock: the fleet's LRU order and idle age.</summary>
    public long LastUsed { get; private set; }

    /// <summary>The cap shared by every pool on this pool's host and port, if <c>MaxConnectionsPerHost</c> is set.</summary>
    public HostLimiter? HostLimiter { get; init; }

    /// <summary>Whether nothing is checked out, opening or awaited, so that an eviction may take the pool now.</summary>
    public bool IsQuiet
    {
        get
        {
            lock (_gate)
            {
                return !_disposed && _inUse == 0 && _waiters.Count == 0 && _size == _idle.Count;
            }
        }
    }

    /// <summary>
    /// Retires the pool when nothing is checked out, being opened or awaited: it takes no more renters (they go to the
    /// connection's next pool) and its idle connections are set aside for <see cref="CloseRetired"/>.
    /// </summary>
    /// <returns>Whether it was retired.</returns>
    public bool TryRetire()
    {
        lock (_gate)
        {
            // A connection checked out (a transaction holds one too), being opened, or awaited keeps the pool alive.
            if (_disposed || _inUse != 0 || _waiters.Count != 0 || _size != _idle.Count)
            {
                return false;
            }

            _retired = true;
            _disposed = true;
            _generation++;
            _retiredIdle = _idle.RemoveWhere(static _ => true);
            foreach (var connection in _retiredIdle ?? [])
            {
                connection.MarkClosed();
            }

            return true;
        }
    }

    /// <summary>Closes what a retired pool held: its idle connections, its timer, its metrics and its driver data source.</summary>
    public void CloseRetired()
    {
        List<PooledConnection>? idle;
        lock (_gate)
        {
            idle = _retiredIdle;
            _retiredIdle = null;
        }

        _housekeeper?.Dispose();
        PoolMetrics.Untrack(this);
        HostLimiter?.Forget(this);
        CloseAll(idle, ConnectionCloseReason.Evicted);
        lock (_gate)
        {
            _size -= idle?.Count ?? 0;
        }

        _source.Dispose();
    }

    /// <summary>Closes this pool's longest-idle connection, if it has one, to make room under the host cap.</summary>
    /// <returns>Whether one was closed.</returns>
    public bool TryCloseOneIdle()
    {
        PooledConnection? oldest;
        lock (_gate)
        {
            if (_disposed || !_idle.TryTake(newest: false, out oldest))
            {
                return false;
            }

            oldest.MarkClosed();
        }

        CloseAndFreeSlots([oldest], ConnectionCloseReason.HostCap);
        return true;
    }

    /// <summary>Sets the time of last use to now (a new pool counts as just used).</summary>
    internal void Touch() => LastUsed = _time.GetTimestamp();

    /// <summary>Takes a host permit for the connect of a caller that reserved a pool slot; frees the slot when none came in time.</summary>
    private async ValueTask AcquireHostAsync(long startedAt, bool async, CancellationToken cancellationToken)
    {
        try
        {
            await HostLimiter!.AcquireAsync(this, startedAt, async, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            FreeSlots();
            throw;
        }
    }

    /// <summary>What is left of <c>pool_timeout</c> for a checkout that started at <paramref name="startedAt"/> (for the host cap's waiters).</summary>
    internal TimeSpan RemainingFor(long startedAt) => Remaining(startedAt);

    /// <summary>The configured wait (<c>pool_timeout</c>).</summary>
    internal TimeSpan PoolTimeout => _timeout;

    /// <summary>Blocks a sync caller of the host cap until <paramref name="task"/> completes or the checkout's time is up.</summary>
    internal bool WaitSyncFor(Task task, long startedAt) => WaitSync(task, startedAt);

    /// <summary>Counts a checkout that gave up waiting for the host cap.</summary>
    internal void CountTimeout()
    {
        lock (_gate)
        {
            _timeouts++;
        }

        Telemetry.TimedOut();
    }
}
