using System.Data.Common;
using Microsoft.Extensions.Logging;
using Switchboard.Diagnostics;
using Switchboard.Dialects;

namespace Switchboard.Pooling;

/// <summary>
/// The pool of one named connection: a hard bound on physical connections, FIFO waiters with a timeout, LIFO reuse,
/// recycling by age, and events. The driver's own pooling is off beneath it.
/// </summary>
/// <remarks>
/// Every counter and list changes under one lock; I/O (open, close, events) happens outside it. A waiter is completed
/// only by whoever removes it from the queue under the lock, so a connection can never be handed to a waiter that
/// has already timed out or been cancelled.
/// </remarks>
internal sealed class ConnectionPool : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Stack<PooledConnection> _idle = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly DriverDataSource _source;
    private readonly DatabaseDriver _driver;
    private readonly ConnectionEventHub _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _maxSize;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan? _recycle;
    private readonly string? _password;
    private int _size;
    private int _inUse;
    private long _opened;
    private long _closed;
    private long _timeouts;
    private int _generation;
    private bool _disposed;

    public ConnectionPool(string name, ConnectionConfig config, DatabaseDriver driver, DriverDataSource source, ConnectionEventHub events, TimeProvider time, ILogger logger)
    {
        Name = name;
        _driver = driver;
        _source = source;
        _events = events;
        _time = time;
        _logger = logger;
        _maxSize = config.PoolSize;
        _timeout = config.PoolTimeout;
        _recycle = config.PoolRecycle;
        _password = string.IsNullOrEmpty(config.Password) ? null : config.Password;
        Target = driver.Describe(config);
    }

    public string Name { get; }

    /// <summary>What the pool connects to, for messages (no secrets).</summary>
    public string Target { get; }

    public DatabaseDriver Driver => _driver;

    /// <summary>The named connection this pool serves (set once, when the connection is created).</summary>
    public Connection Owner { get; set; } = null!;

    public DriverDataSource Source => _source;

    public bool IsDisposed
    {
        get
        {
            lock (_gate)
            {
                return _disposed;
            }
        }
    }

    public PoolStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return new PoolStatistics(_size, _idle.Count, _inUse, _waiters.Count, _opened, _closed, _timeouts, _maxSize);
            }
        }
    }

    /// <summary>Takes a connection: an idle one, a new one while under the bound, or the next one given back.</summary>
    /// <exception cref="PoolTimeoutException">No connection came free within <c>pool_timeout</c>.</exception>
    /// <exception cref="ConnectionException">A new connection could not be opened, or the pool was disposed.</exception>
    public async ValueTask<PooledConnection> RentAsync(bool async, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        PooledConnection? connection = null;
        List<PooledConnection>? retired = null;
        Waiter? waiter = null;
        var open = false;
        var now = _recycle is null ? 0 : _time.GetTimestamp();
        lock (_gate)
        {
            ThrowIfDisposed();
            while (_idle.TryPop(out var candidate))
            {
                if (IsRetired(candidate, now))
                {
                    candidate.State = PooledConnection.ConnectionState.Closed;
                    _size--;
                    (retired ??= []).Add(candidate);
                    continue;
                }

                connection = candidate;
                MarkInUse(candidate);
                break;
            }

            if (connection is null)
            {
                if (_size < _maxSize)
                {
                    _size++;
                    open = true;
                }
                else if (_timeout <= TimeSpan.Zero)
                {
                    _timeouts++;
                }
                else
                {
                    waiter = new Waiter(this, _time.GetTimestamp());
                    waiter.Node = _waiters.AddLast(waiter);
                }
            }
        }

        if (retired is not null)
        {
            foreach (var old in retired)
            {
                Close(old, "recycled");
            }
        }

        if (connection is not null)
        {
            Raise(ConnectionEventKind.Checkout, connection, null);
            return connection;
        }

        if (open)
        {
            return await OpenAsync(async, cancellationToken).ConfigureAwait(false);
        }

        if (waiter is null)
        {
            throw new PoolTimeoutException(Name, _maxSize, TimeSpan.Zero);
        }

        var handed = await waiter.WaitAsync(async, cancellationToken).ConfigureAwait(false);
        if (handed is null)
        {
            // A slot came free rather than a connection (one was discarded or failed to open): open our own.
            return await OpenAsync(async, cancellationToken).ConfigureAwait(false);
        }

        Raise(ConnectionEventKind.Checkout, handed, null);
        return handed;
    }

    /// <summary>Gives a connection back: pooled, handed to the first waiter, or closed when it is broken, retired or the pool is gone.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="lease">The lease number read when it was rented; a second return of the same lease is ignored.</param>
    public void Return(PooledConnection connection, int lease)
    {
        // The common case, one lock: no transaction to roll back and nobody listening for check-ins.
        if (connection.Transaction is null && !HasHandlers(ConnectionEventKind.Checkin))
        {
            ReturnUnderLock(connection, lease);
            return;
        }

        lock (_gate)
        {
            if (connection.Lease != lease || connection.State != PooledConnection.ConnectionState.InUse)
            {
                Log.DoubleReturn(_logger, connection.Id, Name);
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
                Log.ResetFailed(_logger, exception, connection.Id, Name);
                connection.Broken = true;
            }
            finally
            {
                transaction.Dispose();
            }
        }

        ReturnUnderLock(connection, lease);
    }

    private void ReturnUnderLock(PooledConnection connection, int lease)
    {
        string? closeReason = null;
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (connection.Lease != lease || connection.State != PooledConnection.ConnectionState.InUse)
            {
                Log.DoubleReturn(_logger, connection.Id, Name);
                return;
            }

            _inUse--;
            if (_disposed || connection.Broken || IsRetired(connection, now))
            {
                closeReason = _disposed ? "disposed" : connection.Broken ? "broken" : "recycled";
                connection.State = PooledConnection.ConnectionState.Closed;
                _size--;
                if (!_disposed)
                {
                    GrantSlot();
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
                _idle.Push(connection);
            }
        }

        if (closeReason is not null)
        {
            Close(connection, closeReason);
        }
    }

    /// <summary>Opens one connection now and pools it (used by <c>InitializeAll</c>).</summary>
    public async ValueTask WarmAsync(bool async, CancellationToken cancellationToken)
    {
        var connection = await RentAsync(async, cancellationToken).ConfigureAwait(false);
        Return(connection, connection.Lease);
    }

    /// <summary>Wraps a driver exception thrown while opening, never repeating the password.</summary>
    public ConnectionException ConnectFailed(Exception exception)
    {
        var message = exception.Message;
        if (_password is not null)
        {
            message = message.Replace(_password, "***", StringComparison.Ordinal);
        }

        return new ConnectionException(
            $"Could not open a connection for '{Name}' ({Target}): {message} Check the host, port, database and credentials configured for '{Name}'.",
            Name,
            _driver.IsTransient(exception),
            exception);
    }

    public async ValueTask DisposeAsync()
    {
        List<PooledConnection> idle;
        List<Waiter> waiters;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _generation++;
            idle = [.. _idle];
            _idle.Clear();
            _size -= idle.Count;
            waiters = [.. _waiters];
            _waiters.Clear();
            foreach (var waiter in waiters)
            {
                waiter.Node = null;
            }
        }

        foreach (var waiter in waiters)
        {
            waiter.Fail(new ConnectionException($"Connection '{Name}' was disposed while waiting for a connection from its pool.", Name, isTransient: false, null));
        }

        foreach (var connection in idle)
        {
            connection.State = PooledConnection.ConnectionState.Closed;
            Close(connection, "disposed");
        }

        await _source.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask<PooledConnection> OpenAsync(bool async, CancellationToken cancellationToken)
    {
        DbConnection? db = null;
        int generation;
        lock (_gate)
        {
            generation = _generation;
        }

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
        }
        catch (Exception exception)
        {
            db?.Dispose();
            FreeSlot();
            if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw ConnectFailed(exception);
        }

        var connection = new PooledConnection(db, this, _time.GetTimestamp(), generation);
        bool disposed;
        lock (_gate)
        {
            _opened++;
            disposed = _disposed;
            if (!disposed)
            {
                MarkInUse(connection);
            }
        }

        Raise(ConnectionEventKind.Connect, connection, null);
        if (disposed)
        {
            FreeSlot();
            Close(connection, "disposed");
            ThrowIfDisposed();
        }

        Raise(ConnectionEventKind.Checkout, connection, null);
        return connection;
    }

    private void MarkInUse(PooledConnection connection)
    {
        connection.State = PooledConnection.ConnectionState.InUse;
        connection.Lease++;
        _inUse++;
    }

    private bool IsRetired(PooledConnection connection, long now) =>
        connection.Generation != _generation
        || (_recycle is { } recycle && _time.GetElapsedTime(connection.CreatedAt, now) >= recycle);

    private bool HasHandlers(ConnectionEventKind kind) => _events.HasHandlers(kind) || ConnectionEventHub.Global.HasHandlers(kind);

    private void FreeSlot()
    {
        lock (_gate)
        {
            _size--;
            if (!_disposed)
            {
                GrantSlot();
            }
        }
    }

    /// <summary>Under the lock: a slot came free; the first waiter gets it and opens its own connection.</summary>
    private void GrantSlot()
    {
        if (_waiters.First is { } first && _size < _maxSize)
        {
            _waiters.RemoveFirst();
            first.Value.Node = null;
            _size++;
            first.Value.Complete(null);
        }
    }

    private void Close(PooledConnection connection, string reason)
    {
        try
        {
            connection.Close();
        }
        catch (Exception exception)
        {
            Log.CloseFailed(_logger, exception, connection.Id, Name);
        }

        lock (_gate)
        {
            _closed++;
        }

        Raise(ConnectionEventKind.Disconnect, connection, reason);
    }

    private void Raise(ConnectionEventKind kind, PooledConnection connection, string? reason)
    {
        var local = _events.HasHandlers(kind);
        var global = ConnectionEventHub.Global.HasHandlers(kind);
        if (!local && !global)
        {
            return;
        }

        var args = new ConnectionEventArgs(kind, connection.Id, Name, _driver.Name, reason);
        if (local)
        {
            _events.Raise(args, OnHandlerError);
        }

        if (global)
        {
            ConnectionEventHub.Global.Raise(args, OnHandlerError);
        }
    }

    private void OnHandlerError(Exception exception, ConnectionEventArgs args) => Log.EventHandlerFailed(_logger, exception, args.Kind, args.Id, Name);

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ConnectionException(
                $"Connection '{Name}' has been disposed. Configure it again with ConnectionManager.Configure(\"{Name}\", ...) to use it.",
                Name,
                isTransient: false,
                null);
        }
    }

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
            waiter.Fail(new PoolTimeoutException(Name, _maxSize, _time.GetElapsedTime(waiter.StartedAt)));
        }
        else
        {
            waiter.Cancel(cancellationToken);
        }
    }

    /// <summary>One caller waiting for a connection.</summary>
    private sealed class Waiter(ConnectionPool pool, long startedAt)
    {
        private ConnectionPool Pool => pool;

        private readonly TaskCompletionSource<PooledConnection?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ITimer? _timer;

        public long StartedAt { get; } = startedAt;

        /// <summary>Its place in the queue; null once it is served, timed out, cancelled or failed (always changed under the pool's lock).</summary>
        public LinkedListNode<Waiter>? Node { get; set; }

        public void Complete(PooledConnection? connection) => _completion.TrySetResult(connection);

        public void Fail(Exception exception) => _completion.TrySetException(exception);

        public void Cancel(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);

        public async ValueTask<PooledConnection?> WaitAsync(bool async, CancellationToken cancellationToken)
        {
            _timer = pool._time.CreateTimer(static state => ((Waiter)state!).OnTimer(), this, pool._timeout, Timeout.InfiniteTimeSpan);
            var registration = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).Pool.OnWaiterExpired((Waiter)state!, timedOut: false, token), this)
                : default;
            try
            {
                return async
                    ? await _completion.Task.ConfigureAwait(false)
                    : _completion.Task.GetAwaiter().GetResult();
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
            var remaining = pool._timeout - pool._time.GetElapsedTime(StartedAt);
            if (remaining > TimeSpan.Zero)
            {
                _timer?.Change(remaining, Timeout.InfiniteTimeSpan);
                return;
            }

            pool.OnWaiterExpired(this, timedOut: true, CancellationToken.None);
        }
    }
}
