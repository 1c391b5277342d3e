using Switchboard.Diagnostics;

namespace Switchboard.Pooling;

// The pool's end: handing over to a replacement, and disposing with or without a grace period.
internal sealed partial class ConnectionPool
{
    /// <summary>How many times a forced dispose tries to cancel a statement whose driver is not ready to be cancelled yet.</summary>
    private const int ForcedCancelAttempts = 40;

    /// <summary>The pause between those tries (40 × 25 ms: a forced dispose gives a statement's cancel one second).</summary>
    private static readonly TimeSpan ForcedCancelRetryDelay = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// Hands the pool over to its replacement (<c>Configure(replace: true)</c>): renters and queued waiters are served by
    /// <paramref name="successor"/> from now on; idle connections close now, in-use ones (open transactions included) finish
    /// their work and close when given back; once the last is back, the driver's data source is disposed.
    /// </summary>
    /// <returns>Completes when every connection of this pool is closed.</returns>
    public Task HandOverAsync(ConnectionPool successor)
    {
        List<PooledConnection>? idle;
        List<Waiter> waiters;
        Task drained = Task.CompletedTask;
        lock (_gate)
        {
            if (_disposed)
            {
                return Task.CompletedTask;
            }

            _successor = successor;
            (idle, waiters) = CloseDoorsUnderLock();

            if (_inUse > 0)
            {
                _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                drained = _drained.Task;
            }
        }

        _housekeeper?.Dispose();
        PoolMetrics.Untrack(this);
        foreach (var waiter in waiters)
        {
            waiter.Fail(new HandedOverException());
        }

        CloseAll(idle, ConnectionCloseReason.Replaced);
        return DisposeSourceAfterAsync(drained);
    }

    /// <summary>
    /// Marks the pool disposed and takes out its idle connections (marked closed) and its waiters, for the caller to close
    /// and fail outside the lock. Called under <c>_gate</c>.
    /// </summary>
    private (List<PooledConnection>? Idle, List<Waiter> Waiters) CloseDoorsUnderLock()
    {
        _disposed = true;
        _generation++;
        var idle = _idle.RemoveWhere(static _ => true);
        _size -= idle?.Count ?? 0;
        List<Waiter> waiters = [.. _waiters];
        _waiters.Clear();
        foreach (var waiter in waiters)
        {
            waiter.Node = null;
        }

        foreach (var connection in idle ?? [])
        {
            connection.MarkClosed();
        }

        return (idle, waiters);
    }

    private async Task DisposeSourceAfterAsync(Task drained)
    {
        await drained.ConfigureAwait(false);
        await _source.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Disposes the pool: idle connections close now, in-use ones as they come back, waiters fail.</summary>
    public async ValueTask DisposeAsync() => await DisposeAsync(TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);

    /// <summary>
    /// Disposes the pool gracefully: idle connections close now; in-use ones close as they come back, and any still in
    /// use after <paramref name="gracePeriod"/> are closed under their holders.
    /// </summary>
    /// <returns>Whether every connection came back within the grace period.</returns>
    public async ValueTask<bool> DisposeAsync(TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        List<PooledConnection>? idle;
        List<Waiter> waiters;
        Task? drained = null;
        lock (_gate)
        {
            if (_disposed)
            {
                return _inUse == 0;
            }

            (idle, waiters) = CloseDoorsUnderLock();

            if (_inUse > 0 && gracePeriod > TimeSpan.Zero)
            {
                _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                drained = _drained.Task;
            }
        }

        _housekeeper?.Dispose();
        PoolMetrics.Untrack(this);
        foreach (var waiter in waiters)
        {
            waiter.Fail(new ConnectionException($"Connection '{Name}' was disposed while waiting for a connection from its pool.", Name, isTransient: false, null));
        }

        CloseAll(idle, ConnectionCloseReason.Disposed);
        var graceful = true;
        if (drained is not null)
        {
            try
            {
                await drained.WaitAsync(gracePeriod, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                graceful = false;
                await ForceCloseInUseAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await _source.DisposeAsync().ConfigureAwait(false);
        return graceful && Statistics.InUse == 0;
    }

    private async Task ForceCloseInUseAsync(CancellationToken cancellationToken)
    {
        List<PooledConnection> inUse;
        List<PooledConnection> running = [];
        lock (_gate)
        {
            inUse = [.. _all.Where(c => c.State == PooledConnection.ConnectionState.InUse)];
            foreach (var connection in inUse)
            {
                // Whatever its holder does with it next fails, and the failure should say why.
                connection.MarkForcedClose();
                if (connection.Running is not null)
                {
                    // A driver connection is not safe to close while another thread runs a statement on it (Npgsql
                    // then hangs until the command timeout; both drivers throw internal errors): cancel the statement,
                    // and the holder's failure gives the connection back, which closes it since the pool is disposed.
                    running.Add(connection);
                    continue;
                }

                connection.MarkClosed();
                _inUse--;
                _size--;
            }
        }

        Telemetry.ForcedClose(inUse.Count);
        foreach (var connection in running)
        {
            // Drivers race when a statement is just being sent (Npgsql throws a NullReferenceException from Cancel):
            // try again briefly while the statement still runs. A failed cancel never fails the dispose; the
            // connection is closed when its holder gives it back.
            for (var attempt = 0; attempt < ForcedCancelAttempts && connection.Running is { } command; attempt++)
            {
                try
                {
                    _source.Cancel(command);
                    break;
                }
                catch (Exception exception)
                {
                    if (attempt == ForcedCancelAttempts - 1)
                    {
                        Telemetry.CloseFailed(connection, exception);
                    }

                    await Task.Delay(ForcedCancelRetryDelay, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        CloseAll([.. inUse.Except(running)], ConnectionCloseReason.ForcedDispose);
    }
}
