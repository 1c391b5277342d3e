using System.Collections.Concurrent;

namespace Switchboard.Pooling;

/// <summary>
/// <c>MaxConnectionsPerHost</c> for one host and port: a permit for each physical connection of every pool there, and one
/// FIFO queue of callers across those pools. A caller over the cap waits within its own <c>pool_timeout</c>; while some
/// wait, an idle connection of any pool on the host is closed to make room, so idle tenants never starve busy ones.
/// </summary>
internal sealed class HostLimiter(string host, int max)
{
    private readonly Lock _gate = new();
    private readonly LinkedList<HostWaiter> _waiters = new();
    private readonly ConcurrentDictionary<ConnectionPool, byte> _pools = new();
    private int _open;
    private volatile bool _hasWaiters;

    /// <summary>The host and port, for messages.</summary>
    public string Host => host;

    public int Max => max;

    /// <summary>Physical connections open (or opening) on the host now.</summary>
    public int Open
    {
        get
        {
            lock (_gate)
            {
                return _open;
            }
        }
    }

    public bool HasWaiters => _hasWaiters;

    /// <summary>Callers waiting for a permit now.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiters.Count;
            }
        }
    }

    public void Register(ConnectionPool pool) => _pools.TryAdd(pool, 0);

    public void Forget(ConnectionPool pool) => _pools.TryRemove(pool, out _);

    /// <summary>Takes a permit only if one is free and nobody waits (a background fill never jumps the queue).</summary>
    public bool TryAcquire()
    {
        lock (_gate)
        {
            if (_waiters.Count == 0 && _open < max)
            {
                _open++;
                return true;
            }

            return false;
        }
    }

    /// <summary>Takes a permit, waiting in arrival order across the host's pools within the caller's <c>pool_timeout</c>.</summary>
    /// <exception cref="PoolTimeoutException">No permit came free in time; the message names the host cap.</exception>
    public async ValueTask AcquireAsync(ConnectionPool pool, long startedAt, bool async, CancellationToken cancellationToken)
    {
        HostWaiter waiter;
        lock (_gate)
        {
            if (_waiters.Count == 0 && _open < max)
            {
                _open++;
                return;
            }

            cancellationToken.ThrowIfCancellationRequested();
            waiter = new HostWaiter();
            waiter.Node = _waiters.AddLast(waiter);
            _hasWaiters = true;
        }

        MakeRoom();
        var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static (state, token) => ((HostWaiter)state!).Completion.TrySetCanceled(token), waiter)
            : default;
        try
        {
            var granted = async
                ? await WaitAsync(pool, waiter.Completion.Task, startedAt).ConfigureAwait(false)
                : pool.WaitSyncFor(waiter.Completion.Task, startedAt);
            if (granted && waiter.Completion.Task.IsCompletedSuccessfully)
            {
                return;
            }
        }
        finally
        {
            registration.Dispose();
        }

        lock (_gate)
        {
            if (waiter.Node is null && waiter.Completion.Task.IsCompletedSuccessfully)
            {
                return; // granted just as the wait ended: keep it
            }

            if (waiter.Node is not null)
            {
                _waiters.Remove(waiter.Node);
                waiter.Node = null;
                _hasWaiters = _waiters.Count > 0;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        pool.CountTimeout();
        var waited = pool.Time.GetElapsedTime(startedAt);
        throw new PoolTimeoutException(
            $"Timed out after {PoolTimeoutException.FormatWait(waited)} waiting for a connection from pool '{pool.Name}': the host cap "
            + $"MaxConnectionsPerHost ({max}) for {host} is reached by the pools of that host. Raise MaxConnectionsPerHost or pool_timeout, "
            + "or release connections on that host sooner.",
            pool.Name,
            max,
            waited);
    }

    /// <summary>A physical connection on the host closed (or failed to open): its permit goes to the first waiter.</summary>
    public void Release()
    {
        lock (_gate)
        {
            while (_waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                first.Value.Node = null;
                if (first.Value.Completion.TrySetResult())
                {
                    _hasWaiters = _waiters.Count > 0;
                    return; // the permit passes to the waiter: the count stays
                }
            }

            _hasWaiters = false;
            _open--;
        }
    }

    /// <summary>Closes one idle connection on the host, the pool least recently used first, when a caller waits for a permit.</summary>
    public void MakeRoom()
    {
        if (!_hasWaiters)
        {
            return;
        }

        foreach (var pool in _pools.Keys.OrderBy(p => p.LastUsed))
        {
            if (pool.TryCloseOneIdle())
            {
                return;
            }
        }
    }

    private static async ValueTask<bool> WaitAsync(ConnectionPool pool, Task task, long startedAt)
    {
        // A timer may fire a little before the deadline by the pool's clock: wait out the rest, never time out early.
        for (var remaining = pool.RemainingFor(startedAt); remaining > TimeSpan.Zero && !task.IsCompleted; remaining = pool.RemainingFor(startedAt))
        {
            try
            {
                await task.WaitAsync(remaining, pool.Time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return task.IsCompleted;
    }

    private sealed class HostWaiter
    {
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Its place in the queue; null once served or gone (changed under the limiter's lock).</summary>
        public LinkedListNode<HostWaiter>? Node { get; set; }
    }
}
