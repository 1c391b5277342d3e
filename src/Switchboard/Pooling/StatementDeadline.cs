using System.Data.Common;
using System.Threading.Tasks.Sources;

namespace Switchboard.Pooling;

/// <summary>
/// Switchboard's own deadline for the statements of one physical connection, so that the caller hears within
/// <c>command_timeout</c> whatever the server or the driver does. At the deadline the statement is cancelled through the
/// driver; if it is still running <see cref="CancelGrace"/> later (the server is stopped, or the cancel request itself
/// hangs), the connection is given up: it is marked broken, closed off the caller's thread, and an async caller is
/// released at once without waiting for the driver.
/// </summary>
/// <remarks>
/// One timer per physical connection, created with its first statement and armed lazily: a statement changes the timer
/// only when it is not scheduled or is scheduled later than the statement's deadline, and ending a statement leaves it
/// as it is. A timer that fires with no statement running, or before the running one's deadline, does nothing but
/// re-arm for what remains. So a run of statements costs a clock read and an uncontended lock each, and allocates nothing. The cancel and the close run on threads of their own,
/// since either may block for as long as the server is stopped; nobody waits for them.
/// </remarks>
internal sealed class StatementDeadline : IValueTaskSource<bool>, IDisposable
{
    /// <summary>How long a cancel sent through the driver has to end the statement before its connection is closed.</summary>
    public static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly PooledConnection _connection;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly Action _onWorkCompleted;
    private ManualResetValueTaskSourceCore<bool> _race;
    private Stage _stage;
    private DbCommand? _command;
    private long _actAt;
    private long _scheduledAt = NotScheduled;
    private int _raceSignalled;

    /// <summary>The value of <see cref="_scheduledAt"/> while the timer is not scheduled.</summary>
    private const long NotScheduled = long.MaxValue;

    public StatementDeadline(PooledConnection connection, TimeProvider time)
    {
        _connection = connection;
        _time = time;
        _timer = time.CreateTimer(static state => ((StatementDeadline)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _onWorkCompleted = () => Signal(completed: true);
    }

    private enum Stage
    {
        Idle,
        Running,
        Cancelling,
        Abandoned,
    }

    /// <summary>Whether the deadline of the current (or last) statement passed: the statement was cancelled, or its connection given up.</summary>
    public bool Fired { get; private set; }

    /// <summary>Whether the connection was given up because the statement outlived its cancel: it is being closed.</summary>
    public bool Abandoned => _stage == Stage.Abandoned;

    /// <summary>Starts the deadline of a statement about to run.</summary>
    /// <param name="command">What to cancel at the deadline; null when there is nothing to cancel (the connection is closed at once).</param>
    /// <param name="timeout">The time the statement has.</param>
    public void Arm(DbCommand? command, TimeSpan timeout)
    {
        lock (_gate)
        {
            if (_stage == Stage.Abandoned)
            {
                return;
            }

            _stage = Stage.Running;
            _command = command;
            Fired = false;
            _actAt = _time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency);
            if (_actAt < _scheduledAt)
            {
                // Not scheduled, or scheduled past this deadline. A timer scheduled earlier fires, finds time left and re-arms.
                _scheduledAt = _actAt;
                _timer.Change(timeout, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Ends the deadline of the statement that just finished.</summary>
    /// <returns>Whether the deadline had passed: the connection must not be used again, since a cancel may still be on its way.</returns>
    public bool Disarm()
    {
        lock (_gate)
        {
            // The timer is left scheduled: when it fires with no statement running it does nothing.
            if (_stage == Stage.Running)
            {
                _stage = Stage.Idle;
                _command = null;
                return false;
            }

            if (_stage == Stage.Cancelling)
            {
                _stage = Stage.Idle;
                _command = null;
            }

            return Fired;
        }
    }

    /// <summary>
    /// Waits for <paramref name="work"/>, the driver's task for the running statement, or for the connection to be given
    /// up, whichever comes first.
    /// </summary>
    /// <returns>True when the work completed; false when the connection was given up and the work is still running.</returns>
    public ValueTask<bool> WaitAsync(Task work)
    {
        _race.Reset();
        Volatile.Write(ref _raceSignalled, 0);
        if (_stage == Stage.Abandoned)
        {
            return new ValueTask<bool>(false);
        }

        // The cached delegate becomes the task's continuation without an allocation.
        work.GetAwaiter().UnsafeOnCompleted(_onWorkCompleted);
        return new ValueTask<bool>(this, _race.Version);
    }

    public void Dispose() => _timer.Dispose();

    bool IValueTaskSource<bool>.GetResult(short token) => _race.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _race.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _race.OnCompleted(continuation, state, token, flags);

    private void Signal(bool completed)
    {
        if (Interlocked.Exchange(ref _raceSignalled, 1) == 0)
        {
            _race.SetResult(completed);
        }
    }

    private void OnTimer()
    {
        DbCommand? cancel = null;
        var abandon = false;
        lock (_gate)
        {
            _scheduledAt = NotScheduled;
            if (_stage is not (Stage.Running or Stage.Cancelling))
            {
                return;
            }

            // Timers may fire a little early, or (armed lazily) for an earlier statement's deadline while a later one runs.
            var remaining = _actAt - _time.GetTimestamp();
            if (remaining > 0)
            {
                _scheduledAt = _actAt;
                _timer.Change(TimeSpan.FromSeconds((double)remaining / _time.TimestampFrequency), Timeout.InfiniteTimeSpan);
                return;
            }

            Fired = true;
            if (_stage == Stage.Running && _command is { } command)
            {
                _stage = Stage.Cancelling;
                cancel = command;
                _actAt = _time.GetTimestamp() + (long)(CancelGrace.TotalSeconds * _time.TimestampFrequency);
                _scheduledAt = _actAt;
                _timer.Change(CancelGrace, Timeout.InfiniteTimeSpan);
            }
            else
            {
                _stage = Stage.Abandoned;
                _command = null;
                abandon = true;
            }
        }

        if (cancel is not null)
        {
            // The connection is not used again after a cancel: a late cancel request must never hit the next statement.
            _connection.Break();
            // Through the data source, which may find that a cancel cannot get through (and would only stand in the way).
            RunDetached(
                static state =>
                {
                    var (connection, command) = ((PooledConnection, DbCommand))state;
                    connection.Pool.Source.Cancel(command);
                },
                (_connection, cancel));
        }
        else if (abandon)
        {
            Abandon();
        }
    }

    /// <summary>
    /// Gives the connection up now, as the deadline would: for a sync caller whose own timed wait for the driver ended
    /// first (the timer needs a thread-pool thread, which callers blocked in sync calls can starve).
    /// </summary>
    public void GiveUp()
    {
        lock (_gate)
        {
            if (_stage is not (Stage.Running or Stage.Cancelling))
            {
                return;
            }

            Fired = true;
            _stage = Stage.Abandoned;
            _command = null;
        }

        Abandon();
    }

    private void Abandon()
    {
        _connection.Break();

        // Claimed before the caller is released, so that the pool's close of it (when the caller gives it back) is a
        // no-op rather than a driver close that blocks the caller. Closing is what ends a driver call blocked in a read.
        if (_connection.TryBeginClose())
        {
            RunDetached(static state => ((PooledConnection)state).AbortNow(), _connection);
        }

        Signal(completed: false);
    }

    /// <summary>Runs what may block for as long as the server is stopped on a thread of its own, never on the timer's or a caller's.</summary>
    private static void RunDetached(Action<object> action, object state)
    {
        var thread = new Thread(() =>
        {
            try
            {
                action(state);
            }
            catch (Exception)
            {
                // A cancel or close that fails changes nothing: the connection is already out of the pool's hands.
            }
        })
        {
            IsBackground = true,
            Name = "Switchboard statement deadline",
        };
        thread.UnsafeStart();
    }
}
