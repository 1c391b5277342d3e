namespace Switchboard.Pooling;

// Callers waiting for a connection: their queue entries, timers and expiry.
internal sealed partial class ConnectionPool
{
    private void OnWaiterExpired(Waiter waiter, bool timedOut, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (waiter.Node is null)
            {
                return; // already served
            }

            _waiters.Remove(waiter.Node);
            waiter.Node = null;
            if (timedOut)
            {
                _timeouts++;
            }
        }

        if (timedOut)
        {
            Telemetry.TimedOut();
            waiter.Fail(new PoolTimeoutException(Name, _maxSize, _time.GetElapsedTime(waiter.StartedAt)));
        }
        else
        {
            waiter.Cancel(cancellationToken);
        }
    }

    /// <summary>Tells a renter caught in a hand-over to go to the successor; never leaves the pool.</summary>
    private sealed class HandedOverException : Exception;

    /// <summary>One caller waiting for a connection.</summary>
    private sealed class Waiter(ConnectionPool pool, long startedAt)
    {
        private readonly TaskCompletionSource<PooledConnection?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ITimer? _timer;

        public long StartedAt { get; } = startedAt;

        /// <summary>Its place in the queue; null once it is served, timed out, cancelled or failed (always changed under the pool's lock).</summary>
        public LinkedListNode<Waiter>? Node { get; set; }

        private ConnectionPool Pool => pool;

        public void Complete(PooledConnection? connection) => _completion.TrySetResult(connection);

        public void Fail(Exception exception) => _completion.TrySetException(exception);

        public void Cancel(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);

        public async ValueTask<PooledConnection?> WaitAsync(bool async, CancellationToken cancellationToken)
        {
            var remaining = pool.Remaining(StartedAt);
            _timer = pool._time.CreateTimer(static state => ((Waiter)state!).OnTimer(), this, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            var registration = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).Pool.OnWaiterExpired((Waiter)state!, timedOut: false, token), this)
                : default;
            try
            {
                if (async)
                {
                    return await _completion.Task.ConfigureAwait(false);
                }

                // A sync waiter blocks its own thread: it wakes itself at its deadline rather than wait for the timer,
                // whose callback needs a thread-pool thread, which a pool starved by sync callers gives seconds late.
                if (!pool.WaitSync(_completion.Task, StartedAt))
                {
                    pool.OnWaiterExpired(this, timedOut: true, CancellationToken.None);
                }

                return _completion.Task.GetAwaiter().GetResult();
            }
            finally
            {
                // Dispose waits for a running cancellation callback, which only takes the pool's lock briefly.
                registration.Dispose();
                _timer.Dispose();
            }
        }

        private void OnTimer()
        {
            // Timers may fire a little early; the timeout must never be cut short.
            var remaining = pool.Remaining(StartedAt);
            if (remaining > TimeSpan.Zero)
            {
                _timer?.Change(remaining, Timeout.InfiniteTimeSpan);
                return;
            }

            pool.OnWaiterExpired(this, timedOut: true, CancellationToken.None);
        }
    }
}
