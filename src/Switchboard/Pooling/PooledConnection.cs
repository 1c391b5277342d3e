using System.Data.Common;

namespace Switchboard.Pooling;

/// <summary>One physical connection and what the pool knows of it.</summary>
internal sealed class PooledConnection
{
    private static long s_nextId;

    public PooledConnection(DbConnection connection, ConnectionPool pool, long createdAt, int generation)
    {
        Db = connection;
        Pool = pool;
        CreatedAt = createdAt;
        Generation = generation;
        Id = Interlocked.Increment(ref s_nextId);
    }

    /// <summary>The driver's connection, open.</summary>
    public DbConnection Db { get; }

    /// <summary>Unique in the process, for events and logs.</summary>
    public long Id { get; }

    public ConnectionPool Pool { get; }

    /// <summary>When it was opened (<see cref="TimeProvider.GetTimestamp"/>), for <c>pool_recycle</c>.</summary>
    public long CreatedAt { get; }

    /// <summary>The pool generation it was opened in; older generations are never handed out.</summary>
    public int Generation { get; }

    /// <summary>When it was last given back, for idle logic.</summary>
    public long ReturnedAt { get; set; }

    /// <summary>Counts checkouts, so that a holder giving it back twice is detected even after someone else took it.</summary>
    public int Lease { get; set; }

    public ConnectionState State { get; set; }

    /// <summary>The transaction Switchboard opened on it, rolled back if it is given back still open.</summary>
    public DbTransaction? Transaction { get; set; }

    /// <summary>Set when the driver reported the connection unusable: it is closed, not pooled, when given back.</summary>
    public bool Broken { get; set; }

    /// <summary>Commands kept for SQL text used again on this connection.</summary>
    public CommandCache Commands => _commands ??= new CommandCache(Db);

    private CommandCache? _commands;

    /// <summary>Disposes the cached commands, then the connection.</summary>
    public void Close()
    {
        _commands?.Clear();
        Db.Dispose();
    }

    public enum ConnectionState
    {
        Idle,
        InUse,
        Closed,
    }
}
