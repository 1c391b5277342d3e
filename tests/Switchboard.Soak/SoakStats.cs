using System.Collections.Concurrent;

namespace Switchboard.Soak;

/// <summary>What the soak counts while it runs; written by many workers at once.</summary>
internal sealed class SoakStats
{
    public readonly ConcurrentBag<long> Acknowledged = [];

    /// <summary>What each acknowledged row must hold: the worker that wrote it and the note of the statement it sent.</summary>
    public readonly ConcurrentDictionary<long, (int Worker, string Note)> Expected = new();

    /// <summary>Rows that must not be there: rolled back on purpose, or in a transaction that failed before its commit.</summary>
    public readonly ConcurrentBag<long> NeverCommitted = [];

    /// <summary>Rows whose write failed after it may have reached the server (a lost connection, a timeout, a failed commit).</summary>
    public readonly ConcurrentBag<long> Ambiguous = [];

    public readonly ConcurrentDictionary<string, int> Errors = new();

    /// <summary>Sessions the killer ended (cleared at a restart, when the server numbers sessions afresh).</summary>
    public readonly ConcurrentDictionary<long, byte> Killed = new();

    public readonly ConcurrentQueue<string> Overshoots = new();
    public long Operations;
    public long Reads;
    public long Writes;
    public long Commits;
    public long Rollbacks;
    public long Kills;
    public long Restarts;

    public long Stops;
    public int PeakLive;
    public int PeakListed;
    public long Polls;
    private readonly Lock _gate = new();
    private long _nextId;

    /// <summary>The longest time any call took beyond its deadline, and which call.</summary>
    public TimeSpan WorstOvershoot { get; private set; }

    public string WorstOvershootCall { get; private set; } = "no call outlived its deadline";

    /// <summary>The longest any call took, deadline or not.</summary>
    public TimeSpan LongestCall { get; private set; }

    public long NextId() => Interlocked.Increment(ref _nextId);

    public void RecordCall(string call, TimeSpan elapsed, TimeSpan deadline)
    {
        var beyond = elapsed - deadline;
        lock (_gate)
        {
            LongestCall = elapsed > LongestCall ? elapsed : LongestCall;
            if (beyond > WorstOvershoot)
            {
                WorstOvershoot = beyond;
                WorstOvershootCall = $"{call}: {elapsed.TotalSeconds:0.000} s against a deadline of {deadline.TotalSeconds:0.###} s";
            }
        }
    }
}
