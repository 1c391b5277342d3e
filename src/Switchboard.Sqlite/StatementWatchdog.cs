using System.Collections.Concurrent;
using System.Diagnostics;

namespace Switchboard.Sqlite;

/// <summary>
/// Interrupts the statements of one pool that run past their command timeout. One timer per pool, started with the
/// first statement that has a timeout, checks the running commands a few times a second: a statement costs no timer
/// of its own, only a deadline written before it starts and cleared when it ends.
/// </summary>
internal sealed class StatementWatchdog : IDisposable
{
    /// <summary>How often deadlines are checked: a timeout fires at most this late.</summary>
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<InterruptibleCommand, byte> _commands = new();
    private readonly Lock _gate = new();
    private Timer? _timer;
    private bool _disposed;

    /// <summary>Makes sure the command's deadline is checked (it stays known until it is disposed).</summary>
    public void Watch(InterruptibleCommand command)
    {
        _commands.TryAdd(command, 0);
        if (_timer is null)
        {
            Start();
        }
    }

    public void Forget(InterruptibleCommand command) => _commands.TryRemove(command, out _);

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }

        _commands.Clear();
    }

    private void Start()
    {
        lock (_gate)
        {
            if (_timer is null && !_disposed)
            {
                _timer = new Timer(static state => ((StatementWatchdog)state!).Check(), this, Period, Period);
            }
        }
    }

    private void Check()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var command in _commands.Keys)
        {
            var deadline = command.Deadline;
            if (deadline > 0 && now >= deadline)
            {
                command.TimeOut(deadline);
            }
        }
    }
}
