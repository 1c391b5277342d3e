namespace Switchboard.Pooling;

/// <summary>
/// A pool's housekeeping, run by a timer: closes idle connections past their age (<c>pool_recycle</c>) or idle longer
/// than <c>idle_timeout</c> (keeping <c>min_idle</c>), then opens connections in the background up to <c>min_idle</c>.
/// The pool core does the taking out and the slot counting under its lock; this type decides when and what.
/// </summary>
internal sealed class PoolHousekeeper : IDisposable
{
    /// <summary>Housekeeping runs often enough to honour the shortest of <c>idle_timeout</c> and <c>pool_recycle</c> within this fraction of it (1/10).</summary>
    private const int RunsPerShortestLimit = 10;

    /// <summary>How much of <c>pool_recycle</c> the jitter may take off one connection's age: up to 1/40, 2.5%.</summary>
    private const int RecycleJitterDivisor = 40;

    /// <summary>The most often housekeeping runs, however short the limits.</summary>
    private static readonly TimeSpan MinimumPeriod = TimeSpan.FromMilliseconds(100);

    /// <summary>The least often housekeeping runs, however long the limits.</summary>
    private static readonly TimeSpan MaximumPeriod = TimeSpan.FromSeconds(30);

    /// <summary>The limit assumed when only <c>min_idle</c> asks for housekeeping.</summary>
    private static readonly TimeSpan LimitWhenNoneSet = TimeSpan.FromMinutes(5);

    private readonly ConnectionPool _pool;
    private readonly TimeSpan? _idleTimeout;
    private readonly int _minIdle;
    private readonly ITimer _timer;

    private PoolHousekeeper(ConnectionPool pool, TimeSpan? idleTimeout, TimeSpan? recycle, int minIdle)
    {
        _pool = pool;
        _idleTimeout = idleTimeout;
        _minIdle = minIdle;
        var period = Period(idleTimeout, recycle);
        _timer = pool.Time.CreateTimer(static state => ((PoolHousekeeper)state!).Run(), this, period, period);
    }

    /// <summary>The housekeeper of a pool with these settings; null when none of them needs one.</summary>
    public static PoolHousekeeper? For(ConnectionPool pool, TimeSpan? idleTimeout, TimeSpan? recycle, int minIdle) =>
        idleTimeout is not null || minIdle > 0 || recycle is not null ? new PoolHousekeeper(pool, idleTimeout, recycle, minIdle) : null;

    /// <summary>A connection's own age limit: up to 2.5% shorter than <c>pool_recycle</c>, so that connections opened together do not all expire together.</summary>
    public static TimeSpan? Jittered(TimeSpan? recycle) =>
        recycle is { } age ? age - TimeSpan.FromTicks(Random.Shared.NextInt64((age.Ticks / RecycleJitterDivisor) + 1)) : null;

    /// <summary>One round: close what aged or idled out, then open up to <c>min_idle</c>.</summary>
    public void Run()
    {
        if (_pool.TakeStaleIdle(_idleTimeout, _minIdle) is not { } stale)
        {
            return;
        }

        _pool.CloseAndFreeSlots(stale.Aged, ConnectionCloseReason.Recycled);
        _pool.CloseAndFreeSlots(stale.IdleOut, ConnectionCloseReason.Idle);
        var toOpen = _pool.ReserveSlotsUpTo(_minIdle);
        for (var i = 0; i < toOpen; i++)
        {
            _ = _pool.FillReservedSlotAsync();
        }
    }

    public void Dispose() => _timer.Dispose();

    private static TimeSpan Period(TimeSpan? idleTimeout, TimeSpan? recycle)
    {
        var shortest = new[] { idleTimeout, recycle, LimitWhenNoneSet }.Where(t => t is not null).Min()!.Value;
        return TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / RunsPerShortestLimit, MinimumPeriod.Ticks, MaximumPeriod.Ticks));
    }
}
