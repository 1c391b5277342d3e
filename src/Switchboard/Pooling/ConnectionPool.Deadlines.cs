namespace Switchboard.Pooling;

/// <summary>
/// The bound on a checkout: whatever the server does, a caller hears within <c>pool_timeout</c>, whether it waits for a
/// connection to come back, for one being opened for it, or for the pre-ping of an idle one.
/// </summary>
/// <remarks>
/// A connect that outlives the caller's <c>pool_timeout</c> is not abandoned: it goes on in the background, bounded by
/// <c>connect_timeout</c>, and its connection joins the pool (or goes to the next waiter) when it opens, as HikariCP's
/// connection adder does. A pre-ping that outlives it is given up: its connection is closed and discarded.
/// </remarks>
internal sealed partial class ConnectionPool
{
    /// <summary>How often a sync wait under a clock other than the system's looks at that clock (tests advance it by hand).</summary>
    private static readonly TimeSpan FakeClockPoll = TimeSpan.FromMilliseconds(20);

    /// <summary>The least a pre-ping is given, so that a caller whose wait is already used up does not discard a healthy connection.</summary>
    private static readonly TimeSpan MinimumPingTime = TimeSpan.FromMilliseconds(100);

    /// <summary>What is left of <c>pool_timeout</c> for a checkout that started at <paramref name="startedAt"/>.</summary>
    private TimeSpan Remaining(long startedAt) => _timeout - _time.GetElapsedTime(startedAt);

    /// <summary>Opens a connection in a slot the caller reserved, waiting for it no longer than the rest of <c>pool_timeout</c>.</summary>
    private async ValueTask<PooledConnection> OpenWithinAsync(long startedAt, bool async, CancellationToken cancellationToken)
    {
        if (HostLimiter is not null)
        {
            await AcquireHostAsync(startedAt, async, cancellationToken).ConfigureAwait(false);
        }

        if (_timeout <= TimeSpan.Zero)
        {
            // pool_timeout 0 means "never wait for a busy pool"; a connect of our own is bounded by connect_timeout alone.
            return await OpenForCallerAsync(async, cancellationToken).ConfigureAwait(false);
        }

        // Opened asynchronously even for a sync caller, so that the caller can stop waiting while the connect goes on.
        var opening = OpenForCallerAsync(async: true, cancellationToken);
        if (opening.IsCompleted)
        {
            return await opening.ConfigureAwait(false);
        }

        var task = opening.AsTask();
        if (async)
        {
            // A timer may fire a little before the deadline by the pool's clock: wait out the rest, never time out early.
            for (var remaining = Remaining(startedAt); remaining > TimeSpan.Zero && !task.IsCompleted && !cancellationToken.IsCancellationRequested; remaining = Remaining(startedAt))
            {
                try
                {
                    await task.WaitAsync(remaining, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
                {
                    // The connect's own outcome, if it has one, is read below.
                }
            }
        }
        else
        {
            WaitSync(task, startedAt);
        }

        if (task.IsCompleted)
        {
            return await task.ConfigureAwait(false);
        }

        Adopt(task);
        cancellationToken.ThrowIfCancellationRequested();
        throw TimedOut(
            startedAt,
            $"Timed out after {{0}} waiting for a connection from pool '{Name}': a new connection to {Target} was still being opened. "
            + $"It goes on opening in the background (bounded by connect_timeout) and joins the pool when it opens. Check that the server answers, "
            + $"or raise pool_timeout for '{Name}'.");
    }

    /// <summary>Pings an idle connection, giving up on it (it is closed) when the ping outlives the rest of <c>pool_timeout</c>.</summary>
    private async ValueTask<bool> PingWithinAsync(PooledConnection connection, long startedAt, bool async, CancellationToken cancellationToken)
    {
        if (_timeout <= TimeSpan.Zero)
        {
            return await PingAsync(connection, async, cancellationToken).ConfigureAwait(false);
        }

        var deadline = connection.Deadline;
        var remaining = Remaining(startedAt);
        var pingTime = remaining > MinimumPingTime ? remaining : MinimumPingTime;
        deadline.Arm(command: null, pingTime);
        try
        {
            // Pinged asynchronously even for a sync caller, so that the caller can stop waiting: a sync driver call may
            // outlive the close that the deadline makes (Npgsql's own cancel request holds it up while the server is stopped).
            var ping = PingAsync(connection, async: true, cancellationToken);
            if (ping.IsCompleted)
            {
                return await ping.ConfigureAwait(false) && !deadline.Fired;
            }

            var task = ping.AsTask();
            var completed = async ? await deadline.WaitAsync(task).ConfigureAwait(false) : WaitSync(task, _time.GetTimestamp(), pingTime);
            if (!completed)
            {
                // A sync caller's own wait may end before the deadline's timer fires: the connection is given up all the same.
                deadline.GiveUp();
                _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return false;
            }

            return await task.ConfigureAwait(false) && !deadline.Fired;
        }
        finally
        {
            deadline.Disarm();
        }
    }

    /// <summary>
    /// Blocks a sync caller until <paramref name="task"/> completes or the checkout's time is up; the caller's own thread
    /// wakes itself, since timers need a thread-pool thread, which a pool starved by sync callers gives seconds late.
    /// </summary>
    /// <returns>Whether the task completed.</returns>
    private bool WaitSync(Task task, long startedAt) => WaitSync(task, startedAt, _timeout);

    /// <inheritdoc cref="WaitSync(Task, long)"/>
    /// <param name="task">What the caller waits for.</param>
    /// <param name="startedAt">When the wait started, by the pool's clock.</param>
    /// <param name="limit">How long the caller may wait from <paramref name="startedAt"/>.</param>
    private bool WaitSync(Task task, long startedAt, TimeSpan limit)
    {
        while (!task.IsCompleted)
        {
            var remaining = limit - _time.GetElapsedTime(startedAt);
            if (remaining <= TimeSpan.Zero)
            {
                return false;
            }

            var slice = _time == TimeProvider.System || remaining < FakeClockPoll ? remaining : FakeClockPoll;
            try
            {
                // No token here: a cancelled caller's task completes through its own registration, so that it fails as cancelled.
                task.Wait(slice);
            }
            catch (AggregateException)
            {
                return true; // completed with an exception: the caller reads it
            }
        }

        return true;
    }

    /// <summary>Takes over a connect the caller stopped waiting for: its connection goes to the pool (or the next waiter) when it opens.</summary>
    private void Adopt(Task<PooledConnection> opening) =>
        _ = opening.ContinueWith(
            static (task, state) =>
            {
                if (task.IsCompletedSuccessfully)
                {
                    var connection = task.Result;
                    ((ConnectionPool)state!).ReturnUnderLock(connection, connection.Lease);
                }
                else
                {
                    // A failed connect already freed its slot; its error has nobody left to hear it.
                    _ = task.Exception;
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    private PoolTimeoutException TimedOut(long startedAt, string messageFormat)
    {
        var waited = _time.GetElapsedTime(startedAt);
        lock (_gate)
        {
            _timeouts++;
        }

        Telemetry.TimedOut();
        return new PoolTimeoutException(string.Format(System.Globalization.CultureInfo.InvariantCulture, messageFormat, PoolTimeoutException.FormatWait(waited)), Name, _maxSize, waited);
    }
}
