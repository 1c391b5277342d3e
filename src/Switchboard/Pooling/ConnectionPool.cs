using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Switchboard.Diagnostics;
using Switchboard.Dialects;

namespace Switchboard.Pooling;

/// <summary>
/// The pool of one named connection: a hard bound on physical connections, FIFO waiters with a timeout, LIFO (or FIFO)
/// reuse, recycling by age with jitter, validation of idle connections, idle eviction down to a minimum, leak
/// detection, invalidation of older connections when one is lost, events and metrics. The driver's pooling is off.
/// </summary>
/// <remarks>
/// Every counter and list changes under one lock; I/O (open, ping, close, events) happens outside it, so one hanging
/// connect never blocks checkouts of idle connections. A waiter is completed only by whoever removes it from the queue
/// under the lock, so a connection can never be handed to a waiter that has already timed out or been cancelled.
/// </remarks>
internal sealed partial class ConnectionPool : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly IdleConnections _idle;
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly List<PooledConnection> _all = [];
    private readonly DriverDataSource _source;
    private readonly DatabaseDriver _driver;
    private readonly ConnectionEventHub _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _maxSize;
    private readonly int _minIdle;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan? _recycle;
    private readonly TimeSpan? _idleTimeout;
    private readonly PrePing _prePing;
    private readonly long _prePingWindowTimestamp;
    private readonly TimeSpan? _leakThreshold;
    private readonly bool _lifo;
    private readonly string? _initCommand;
    private readonly SecretScrubber? _secrets;
    private readonly ITimer? _housekeeper;
    private TaskCompletionSource? _drained;
    private int _size;
    private int _inUse;
    private long _opened;
    private long _closed;
    private long _timeouts;
    private int _generation;
    private bool _disposed;

    // Set when Configure(replace: true) handed this pool over: new renters and queued waiters go there instead of failing.
    private ConnectionPool? _successor;

    public ConnectionPool(string name, ConnectionConfig config, DatabaseDriver driver, DriverDataSource source, ConnectionEventHub events, TimeProvider time, ILogger logger)
    {
        Name = name;
        _driver = driver;
        _source = source;
        _events = events;
        _time = time;
        _logger = logger;
        _maxSize = config.PoolSize;
        _minIdle = config.MinIdle;
        _timeout = config.PoolTimeout;
        _recycle = config.PoolRecycle;
        _idleTimeout = config.IdleTimeout;
        _prePing = config.PoolPrePing;
        // Compared on every checkout: kept in the clock's own units, so that no conversion happens there.
        _prePingWindowTimestamp = ToTimestampUnits(config.PoolPrePingWindow);
        _leakThreshold = config.LeakDetectionThreshold;
        _lifo = config.CheckoutOrder == CheckoutOrder.Lifo;
        _initCommand = string.IsNullOrWhiteSpace(config.InitCommand) ? null : config.InitCommand;
        _secrets = SecretScrubber.For(config.Password);
        _idle = new IdleConnections(config.PoolSize);
        Target = Scrub(driver.Describe(config));
        if (_idleTimeout is not null || _minIdle > 0 || _recycle is not null)
        {
            var period = MaintenancePeriod(_idleTimeout, _recycle);
            _housekeeper = time.CreateTimer(static state => ((ConnectionPool)state!).Maintain(), this, period, period);
        }

        PoolMetrics.Track(this);
    }

    public string Name { get; }

    /// <summary>What the pool connects to, for messages (no secrets).</summary>
    public string Target { get; }

    public DatabaseDriver Driver => _driver;

    /// <summary>The clock of the pool's timeouts, and of its connections' statement deadlines.</summary>
    public TimeProvider Time => _time;

    /// <summary>The named connection this pool serves (set once, when the connection is created).</summary>
    public Connection Owner { get; set; } = null!;

    public DriverDataSource Source => _source;

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

    /// <summary>Takes a connection: an idle one (checked first if it idled past the pre-ping window), a new one while under the bound, or the next one given back.</summary>
    /// <exception cref="PoolTimeoutException">No connection came free within <c>pool_timeout</c>.</exception>
    /// <exception cref="ConnectionException">A new connection could not be opened, or the pool was disposed.</exception>
    public ValueTask<PooledConnection> RentAsync(bool async, CancellationToken cancellationToken)
    {
        // The hot path, with no async machinery: an idle connection that needs neither recycling nor a ping.
        if (!cancellationToken.IsCancellationRequested && !PoolMetrics.WaitTime.Enabled)
        {
            PooledConnection? idle = null;
            var now = _recycle is null && _prePing == PrePing.Never ? 0 : _time.GetTimestamp();
            lock (_gate)
            {
                if (!_disposed && _idle.Peek(_lifo) is { } candidate && !IsRetired(candidate, now) && !NeedsPing(candidate, now))
                {
                    _idle.TryTake(_lifo, out _);
                    MarkInUse(candidate);
                    idle = candidate;
                }
            }

            if (idle is not null)
            {
                return new ValueTask<PooledConnection>(HandOut(idle, waitStarted: 0));
            }
        }

        return RentSlowAsync(async, startedAt: 0, cancellationToken);
    }

    /// <param name="async">Whether the caller is async.</param>
    /// <param name="startedAt">When the checkout began (0 = now): a caller handed over by a replaced pool keeps its deadline.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    private async ValueTask<PooledConnection> RentSlowAsync(bool async, long startedAt, CancellationToken cancellationToken)
    {
        startedAt = startedAt == 0 ? _time.GetTimestamp() : startedAt;
        try
        {
            return await RentHereAsync(async, startedAt, cancellationToken).ConfigureAwait(false);
        }
        catch (HandedOverException)
        {
            // Replaced while this caller was on its way in or queued: the replacement serves it, within the same pool_timeout
            // from when it started (both pools read the registry's clock). Evicted: the connection's next pool serves it.
            return await (Volatile.Read(ref _successor) ?? Owner.Pool).RentSlowAsync(async, startedAt, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<PooledConnection> RentHereAsync(bool async, long startedAt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var waitStarted = PoolMetrics.WaitTime.Enabled ? _time.GetTimestamp() : 0;
        while (true)
        {
            PooledConnection? connection = null;
            List<PooledConnection>? retired = null;
            Waiter? waiter = null;
            var open = false;
            var now = _recycle is null && _prePing == PrePing.Never ? 0 : _time.GetTimestamp();
            lock (_gate)
            {
                ThrowIfDisposed();
                while (_idle.TryTake(_lifo, out var candidate))
                {
                    if (IsRetired(candidate, now))
                    {
                        // Still counted in the pool's size until closed: the bound holds as the server sees it.
                        candidate.State = PooledConnection.ConnectionState.Closed;
                        (retired ??= []).Add(candidate);
                        continue;
                    }

                    connection = candidate;
                    MarkInUse(candidate);
                    break;
                }

                if (connection is null && retired is null)
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
                        waiter = new Waiter(this, startedAt);
                        waiter.Node = _waiters.AddLast(waiter);
                    }
                }
            }

            if (retired is not null)
            {
                CloseAndFreeSlots(retired, "recycled");
                if (connection is null)
                {
                    // Their slots are free now: decide again between opening and waiting.
                    continue;
                }
            }

            if (connection is not null)
            {
                if (NeedsPing(connection, now) && !await PingWithinAsync(connection, startedAt, async, cancellationToken).ConfigureAwait(false))
                {
                    Discard(connection, "failed pre-ping");
                    continue;
                }

                return HandOut(connection, waitStarted);
            }

            if (open)
            {
                return HandOut(await OpenWithinAsync(startedAt, async, cancellationToken).ConfigureAwait(false), waitStarted);
            }

            if (waiter is null)
            {
                PoolMetrics.RecordTimeout(this);
                throw new PoolTimeoutException(Name, _maxSize, TimeSpan.Zero);
            }

            var handed = await waiter.WaitAsync(async, cancellationToken).ConfigureAwait(false);

            // A slot came free rather than a connection (one was discarded or failed to open): open our own.
            // A handed connection was in use a moment ago, so it needs no ping.
            return HandOut(handed ?? await OpenWithinAsync(startedAt, async, cancellationToken).ConfigureAwait(false), waitStarted);
        }
    }

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

    /// <summary>The text with every part of this connection's password replaced by <c>***</c>.</summary>
    public string Scrub(string text) => _secrets?.Scrub(text) ?? text;

    /// <summary>The exception, or a redacted copy when it shows any part of this connection's password (for messages and logs).</summary>
    public Exception Scrub(Exception exception) => _secrets?.Scrub(exception) ?? exception;

    /// <summary>
    /// Housekeeping, run by a timer: closes connections idle longer than <c>idle_timeout</c> (keeping <c>min_idle</c>)
    /// and those past their age, then opens connections in the background up to <c>min_idle</c>.
    /// </summary>
    public void Maintain()
    {
        List<PooledConnection>? idleOut;
        List<PooledConnection>? aged;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var now = _time.GetTimestamp();
            aged = _idle.RemoveWhere(c => IsRetired(c, now));
            var spare = _size - (aged?.Count ?? 0) - _minIdle;
            idleOut = spare <= 0 || _idleTimeout is not { } idleTimeout
                ? null
                : _idle.RemoveWhere(c => _time.GetElapsedTime(c.ReturnedAt, now) >= idleTimeout && spare-- > 0);
            foreach (var connection in (aged ?? []).Concat(idleOut ?? []))
            {
                connection.State = PooledConnection.ConnectionState.Closed;
            }
        }

        CloseAndFreeSlots(aged, "recycled");
        CloseAndFreeSlots(idleOut, "idle");
        int toOpen;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            toOpen = Math.Max(0, Math.Min(_minIdle - _size, _maxSize - _size));
            _size += toOpen;
        }

        for (var i = 0; i < toOpen; i++)
        {
            _ = FillAsync();
        }
    }

    private static TimeSpan MaintenancePeriod(TimeSpan? idleTimeout, TimeSpan? recycle)
    {
        // Often enough to honour the shortest of the two within a tenth of it, at most every 30 s, at least every 100 ms.
        var shortest = new[] { idleTimeout, recycle, TimeSpan.FromMinutes(5) }.Where(t => t is not null).Min()!.Value;
        return TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 10, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(30).Ticks));
    }

    private PooledConnection HandOut(PooledConnection connection, long waitStarted)
    {
        if (waitStarted != 0)
        {
            PoolMetrics.RecordSeconds(PoolMetrics.WaitTime, _time.GetElapsedTime(waitStarted), this);
        }

        if (_leakThreshold is { } threshold)
        {
            connection.LeasedAt = _time.GetTimestamp();
            connection.LeakStack = new StackTrace(2, fNeedFileInfo: true).ToString();
            connection.LeakReported = false;
            connection.LeakTimer = _time.CreateTimer(static state => ((PooledConnection)state!).Pool.ReportLeak((PooledConnection)state!), connection, threshold, Timeout.InfiniteTimeSpan);
        }
        else if (PoolMetrics.UseTime.Enabled)
        {
            connection.LeasedAt = _time.GetTimestamp();
        }

        Raise(ConnectionEventKind.Checkout, connection, null);
        return connection;
    }

    private void ReportLeak(PooledConnection connection)
    {
        if (connection.State != PooledConnection.ConnectionState.InUse)
        {
            return;
        }

        connection.LeakReported = true;
        Log.ConnectionLeak(_logger, connection.Id, Name, _time.GetElapsedTime(connection.LeasedAt).TotalSeconds, Environment.NewLine, connection.LeakStack ?? "(unknown)");
    }

    /// <summary>Closes an in-use connection found dead, and the idle ones older than it, as a lost connection does.</summary>
    private void Discard(PooledConnection connection, string reason)
    {
        List<PooledConnection>? older;
        lock (_gate)
        {
            _inUse--;
            connection.State = PooledConnection.ConnectionState.Closed;
            older = RemoveIdleOpenedBefore(connection);
        }

        Raise(ConnectionEventKind.Invalidate, connection, reason);
        Close(connection, reason);
        CloseAll(older, "invalidated");
        FreeSlots(1 + (older?.Count ?? 0));
    }

    private long ToTimestampUnits(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    /// <summary>Up to 2.5% shorter, so that connections opened together do not all expire together.</summary>
    private static TimeSpan? Jittered(TimeSpan? recycle) =>
        recycle is { } age ? age - TimeSpan.FromTicks(Random.Shared.NextInt64((age.Ticks / 40) + 1)) : null;

    private void MarkInUse(PooledConnection connection)
    {
        connection.State = PooledConnection.ConnectionState.InUse;
        connection.Lease++;
        _inUse++;
    }

    private bool IsRetired(PooledConnection connection, long now) =>
        connection.Generation != _generation
        || now >= connection.ExpiresAt;

    private bool HasHandlers(ConnectionEventKind kind) => _events.HasHandlers(kind) || ConnectionEventHub.Global.HasHandlers(kind);

    /// <summary>Slots of connections now closed (or never opened) come free: the first waiters get them.</summary>
    private void FreeSlots(int slots = 1)
    {
        lock (_gate)
        {
            _size -= slots;
            if (!_disposed)
            {
                GrantSlot(slots);
            }
        }
    }

    /// <summary>Closes connections taken out of the pool, and only then frees their slots, so that a replacement never opens before they are gone.</summary>
    private void CloseAndFreeSlots(List<PooledConnection>? connections, string reason)
    {
        if (connections is { Count: > 0 })
        {
            CloseAll(connections, reason);
            FreeSlots(connections.Count);
        }
    }

    /// <summary>Under the lock: slots came free; the first waiters get them and open their own connections.</summary>
    private void GrantSlot(int slots = 1)
    {
        for (var i = 0; i < slots && _waiters.First is { } first && _size < _maxSize; i++)
        {
            _waiters.RemoveFirst();
            first.Value.Node = null;
            _size++;
            first.Value.Complete(null);
        }
    }

    private void CloseAll(List<PooledConnection>? connections, string reason)
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

    private void Close(PooledConnection connection, string reason)
    {
        connection.LeakTimer?.Dispose();
        try
        {
            connection.Close();
        }
        catch (Exception exception)
        {
            Log.CloseFailed(_logger, Scrub(exception), connection.Id, Name);
        }

        lock (_gate)
        {
            _closed++;
            _all.Remove(connection);
        }

        HostLimiter?.Release();
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

    private void OnHandlerError(Exception exception, ConnectionEventArgs args) => Log.EventHandlerFailed(_logger, Scrub(exception), args.Kind, args.Id, Name);

    private void ThrowIfDisposed()
    {
        if (_successor is not null || _retired)
        {
            throw new HandedOverException();
        }

        if (_disposed)
        {
            throw ConnectionException.Disposed(Name);
        }
    }
}
