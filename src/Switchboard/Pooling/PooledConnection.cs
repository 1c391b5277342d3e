using System.Data.Common;

namespace Switchboard.Pooling;

/// <summary>One physical connection and what the pool knows of it.</summary>
internal sealed class PooledConnection
{
    private static long s_nextId;
    private CommandCache? _commands;
    private StatementDeadline? _deadline;
    private int _closed;

    public PooledConnection(DbConnection connection, ConnectionPool pool, long createdAt, int generation, TimeSpan? maxAge, long timestampFrequency)
    {
        Db = connection;
        Pool = pool;
        CreatedAt = createdAt;
        Generation = generation;
        ExpiresAt = maxAge is { } age ? createdAt + (long)(age.TotalSeconds * timestampFrequency) : long.MaxValue;
        Id = Interlocked.Increment(ref s_nextId);
    }

    public enum ConnectionState
    {
        Idle,
        InUse,
        Closed,
    }

    /// <summary>The driver's connection, open.</summary>
    public DbConnection Db { get; }

    /// <summary>Unique in the process, for events and logs.</summary>
    public long Id { get; }

    public ConnectionPool Pool { get; }

    /// <summary>When it was opened (<see cref="TimeProvider.GetTimestamp"/>), for <c>pool_recycle</c> and invalidation of older connections.</summary>
    public long CreatedAt { get; }

    /// <summary>The pool generation it was opened in; older generations are never handed out.</summary>
    public int Generation { get; }

    /// <summary>
    /// The timestamp from which it is retired: its own <c>pool_recycle</c>, shortened by a little jitter so that a pool's
    /// connections do not all expire at once; <see cref="long.MaxValue"/> for never.
    /// </summary>
    public long ExpiresAt { get; }

    /// <summary>When it was last given back, for idle logic.</summary>
    public long ReturnedAt { get; set; }

    /// <summary>When it was last handed out, for use time and leak detection (set only when one of them is on).</summary>
    public long LeasedAt { get; set; }

    /// <summary>Counts checkouts, so that a holder giving it back twice is detected even after someone else took it.</summary>
    public int Lease { get; set; }

    public ConnectionState State { get; set; }

    /// <summary>The transaction Switchboard opened on it, rolled back if it is given back still open.</summary>
    public DbTransaction? Transaction { get; set; }

    /// <summary>Set when the connection must not be pooled again: it is closed when given back.</summary>
    public bool Broken { get; set; }

    /// <summary>Set when the driver reported the connection lost: older idle connections are discarded with it.</summary>
    public bool Disconnected { get; set; }

    /// <summary>The statement running on it now, if Switchboard runs one, so that a forced dispose can cancel it rather than close the connection under the driver.</summary>
    public DbCommand? Running { get; set; }

    /// <summary>Set when a forced dispose closed it or cancelled its statement under its holder, so that the holder's failure says so.</summary>
    public bool ForcedClose { get; set; }

    /// <summary>Fires when the connection is held longer than the leak detection threshold.</summary>
    public ITimer? LeakTimer { get; set; }

    /// <summary>The stack that took the connection, kept while leak detection is on.</summary>
    public string? LeakStack { get; set; }

    public bool LeakReported { get; set; }

    /// <summary>Switchboard's own <c>command_timeout</c> for statements on this connection (one timer, created with the first statement).</summary>
    public StatementDeadline Deadline => _deadline ??= new StatementDeadline(this, Pool.Time);

    /// <summary>Whether the deadline of the last statement passed, so that its failure is reported as a timeout.</summary>
    public bool TimedOut => _deadline?.Fired == true;

    /// <summary>Whether the connection was given up because its statement outlived the cancel: it is closed off the caller's thread.</summary>
    public bool Abandoned => _deadline?.Abandoned == true;

    /// <summary>Commands kept for SQL text used again on this connection.</summary>
    public CommandCache Commands => _commands ??= new CommandCache(Db, Pool.Source);

    /// <summary>Marks the connection lost, so that it and the idle connections older than it are discarded.</summary>
    public void MarkDisconnected()
    {
        Broken = true;
        Disconnected = true;
    }

    /// <summary>Disposes the cached commands, then the connection; once only, whoever calls first (the pool, or a statement deadline giving it up).</summary>
    public void Close()
    {
        if (TryBeginClose())
        {
            CloseNow();
        }
    }

    /// <summary>Claims the close: true for the first caller only, who must then call <see cref="CloseNow"/>; later closes do nothing.</summary>
    public bool TryBeginClose() => Interlocked.Exchange(ref _closed, 1) == 0;

    /// <summary>Closes the connection; only after <see cref="TryBeginClose"/> returned true.</summary>
    public void CloseNow()
    {
        _deadline?.Dispose();
        _commands?.Clear();
        Db.Dispose();
    }
}
