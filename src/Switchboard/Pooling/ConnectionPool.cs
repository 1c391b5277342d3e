using Microsoft.Extensions.Logging;
using Switchboard.Diagnostics;
using Switchboard.Dialects;

namespace Switchboard.Pooling;

/// <summary>
/// The pool of one named connection, its core: the slots (a hard bound on physical connections), the idle list (LIFO or
/// FIFO reuse) and the FIFO waiters with a timeout, all under one lock. The driver's pooling is off.
/// </summary>
/// <remarks>
/// <para>
/// Every counter and list changes under one lock; I/O (open, ping, close, events) happens outside it, so one hanging
/// connect never blocks checkouts of idle connections. A waiter is completed only by whoever removes it from the queue
/// under the lock, so a connection can never be handed to a waiter that has already timed out or been cancelled.
/// </para>
/// <para>
/// The rest is owned elsewhere: each <see cref="PooledConnection"/> changes its own state (open, ping, lease, leak watch,
/// break, close); <see cref="PoolHousekeeper"/> runs recycling, idle timeout and the <c>min_idle</c> fill;
/// <see cref="PoolTelemetry"/> raises the events, records the metrics and writes the logs. The partial files hold the
/// pool's paths: returning, opening, closing, deadlines, waiters, health, the fleet and the end of the pool.
/// </para>
/// </remarks>
internal sealed partial class ConnectionPool : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly IdleConnections _idle;
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly List<PooledConnection> _all = [];
    private readonly DriverDataSource _source;
    private readonly DatabaseDriver _driver;
    private readonly TimeProvider _time;
    private readonly int _maxSize;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan? _recycle;
    private readonly PrePing _prePing;
    private readonly long _prePingWindowTimestamp;
    private readonly TimeSpan? _leakThreshold;
    private readonly bool _lifo;
    private readonly string? _initCommand;
    private readonly SecretScrubber? _secrets;
    private readonly PoolHousekeeper? _housekeeper;
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

    public ConnectionPool(string name, int registryId, ConnectionConfig config, DatabaseDriver driver, DriverDataSource source, ConnectionEventHub events, TimeProvider time, ILogger logger)
    {
        Name = name;
        _driver = driver;
        _source = source;
        _time = time;
        _maxSize = config.PoolSize;
        _timeout = config.PoolTimeout;
        _recycle = config.PoolRecycle;
        _prePing = config.PoolPrePing;
        // Compared on every checkout: kept in the clock's own units, so that no conversion happens there.
        _prePingWindowTimestamp = (long)(config.PoolPrePingWindow.TotalSeconds * time.TimestampFrequency);
        _leakThreshold = config.LeakDetectionThreshold;
        _lifo = config.CheckoutOrder == CheckoutOrder.Lifo;
        _initCommand = string.IsNullOrWhiteSpace(config.InitCommand) ? null : config.InitCommand;
        CommandTimeoutSeconds = source.CommandTimeoutSeconds(config.CommandTimeout);
        _secrets = SecretScrubber.For(config.Password);
        _idle = new IdleConnections(config.PoolSize);
        Target = Scrub(driver.Describe(config));
        Telemetry = new PoolTelemetry(name, registryId, driver.Name, events, logger, _secrets);
        _housekeeper = PoolHousekeeper.For(this, config.IdleTimeout, config.PoolRecycle, config.MinIdle);
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

    /// <summary>The driver's own timeout for statements under Switchboard's <c>command_timeout</c> (<see cref="DriverDataSource.CommandTimeoutSeconds"/>).</summary>
    public int CommandTimeoutSeconds { get; }

    /// <summary>The pool's events, metrics and logs.</summary>
    public PoolTelemetry Telemetry { get; }

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
        if (!cancellationToken.IsCancellationRequested && !PoolTelemetry.TimesWaits)
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
        var waitStarted = PoolTelemetry.TimesWaits ? _time.GetTimestamp() : 0;
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
                        candidate.MarkClosed();
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
                CloseAndFreeSlots(retired, ConnectionCloseReason.Recycled);
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
                    Discard(connection, ConnectionCloseReason.FailedPrePing);
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
                Telemetry.TimedOut();
                throw new PoolTimeoutException(Name, _maxSize, TimeSpan.Zero);
            }

            var handed = await waiter.WaitAsync(async, cancellationToken).ConfigureAwait(false);

            // A slot came free rather than a connection (one was discarded or failed to open): open our own.
            // A handed connection was in use a moment ago, so it needs no ping.
            return HandOut(handed ?? await OpenWithinAsync(startedAt, async, cancellationToken).ConfigureAwait(false), waitStarted);
        }
    }

    /// <summary>The text with every part of this connection's password replaced by <c>***</c>.</summary>
    public string Scrub(string text) => _secrets?.Scrub(text) ?? text;

    /// <summary>The exception, or a redacted copy when it shows any part of this connection's password (for messages and logs).</summary>
    public Exception Scrub(Exception exception) => _secrets?.Scrub(exception) ?? exception;

    /// <summary>Housekeeping (<c>idle_timeout</c>, <c>pool_recycle</c>, <c>min_idle</c>) now rather than at the next tick of its timer.</summary>
    public void Maintain() => _housekeeper?.Run();

    private PooledConnection HandOut(PooledConnection connection, long waitStarted)
    {
        connection.StartLeaseClock(_leakThreshold, PoolTelemetry.TimesUse);
        Telemetry.CheckedOut(connection, waitStarted != 0 ? _time.GetElapsedTime(waitStarted) : null);
        return connection;
    }

    /// <summary>Under the lock: the connection goes to a holder.</summary>
    private void MarkInUse(PooledConnection connection)
    {
        connection.TakeLease();
        _inUse++;
    }

    private bool IsRetired(PooledConnection connection, long now) =>
        connection.Generation != _generation
        || now >= connection.ExpiresAt;

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
