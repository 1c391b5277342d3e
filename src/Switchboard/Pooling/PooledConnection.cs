using System.Data.Common;
using System.Diagnostics;

namespace Switchboard.Pooling;

/// <summary>
/// One physical connection, and the only place its state changes: it opens itself, is leased and given back (under its
/// pool's lock), pings, breaks and closes itself, and watches each lease for leaks. Everything else reads it.
/// </summary>
/// <remarks>
/// The shape of Npgsql's <c>NpgsqlConnector</c> and MySqlConnector's <c>ServerSession</c>: the pool decides where a
/// connection goes; the connection knows what it is.
/// </remarks>
internal sealed class PooledConnection
{
    private static long s_nextId;
    private CommandCache? _commands;
    private StatementDeadline? _deadline;
    private LeakWatch? _leak;
    private long _leasedAt;
    private int _closed;

    private PooledConnection(DbConnection connection, ConnectionPool pool, long createdAt, int generation, TimeSpan? maxAge)
    {
        Db = connection;
        Pool = pool;
        CreatedAt = createdAt;
        ReturnedAt = createdAt;
        Generation = generation;
        ExpiresAt = maxAge is { } age ? createdAt + (long)(age.TotalSeconds * pool.Time.TimestampFrequency) : long.MaxValue;
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

    /// <summary>When it was last given back (or opened), for idle logic.</summary>
    public long ReturnedAt { get; private set; }

    /// <summary>Counts checkouts, so that a holder giving it back twice is detected even after someone else took it.</summary>
    public int Lease { get; private set; }

    public ConnectionState State { get; private set; }

    /// <summary>The transaction Switchboard opened on it, rolled back if it is given back still open.</summary>
    public DbTransaction? Transaction { get; private set; }

    /// <summary>Set when the connection must not be pooled again: it is closed when given back.</summary>
    public bool Broken { get; private set; }

    /// <summary>Set when the driver reported the connection lost: older idle connections are discarded with it.</summary>
    public bool Disconnected { get; private set; }

    /// <summary>The statement running on it now, if Switchboard runs one, so that a forced dispose can cancel it rather than close the connection under the driver.</summary>
    public DbCommand? Running { get; private set; }

    /// <summary>Set when a forced dispose closed it or cancelled its statement under its holder, so that the holder's failure says so.</summary>
    public bool ForcedClose { get; private set; }

    /// <summary>Why a broken connection is closed when it comes back.</summary>
    public ConnectionCloseReason BreakReason =>
        Disconnected ? ConnectionCloseReason.Disconnected : TimedOut ? ConnectionCloseReason.CommandTimeout : ConnectionCloseReason.Broken;

    /// <summary>Switchboard's own <c>command_timeout</c> for statements on this connection (one timer, created with the first statement).</summary>
    public StatementDeadline Deadline => _deadline ??= new StatementDeadline(this, Pool.Time);

    /// <summary>Whether the deadline of the last statement passed, so that its failure is reported as a timeout.</summary>
    public bool TimedOut => _deadline?.Fired == true;

    /// <summary>Whether the connection was given up because its statement outlived the cancel: it is closed off the caller's thread.</summary>
    public bool Abandoned => _deadline?.Abandoned == true;

    /// <summary>Commands kept for SQL text used again on this connection.</summary>
    public CommandCache Commands => _commands ??= new CommandCache(Db, Pool.Source);

    /// <summary>Opens a physical connection through the pool's data source and runs <c>init_command</c> on it.</summary>
    /// <param name="pool">The pool it belongs to.</param>
    /// <param name="generation">The pool's generation now.</param>
    /// <param name="maxAge">Its age limit (<c>pool_recycle</c>, jittered), or null for none.</param>
    /// <param name="initCommand">SQL to run once on it, or null.</param>
    /// <param name="async">Whether the caller is async.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The connection, open; what the driver threw otherwise (nothing is left open then).</returns>
    public static async ValueTask<PooledConnection> OpenAsync(ConnectionPool pool, int generation, TimeSpan? maxAge, string? initCommand, bool async, CancellationToken cancellationToken)
    {
        var source = pool.Source;
        var db = source.CreateConnection();
        try
        {
            if (async)
            {
                await source.OpenAsync(db, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                source.Open(db);
            }

            if (initCommand is not null)
            {
                var command = db.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.CommandText = initCommand;
                    if (async)
                    {
                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        command.ExecuteNonQuery();
                    }
                }
            }
        }
        catch
        {
            await db.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new PooledConnection(db, pool, pool.Time.GetTimestamp(), generation, maxAge);
    }

    /// <summary>Asks the server whether the connection is alive; throws what the driver threw when it is not.</summary>
    public async ValueTask PingAsync(bool async, CancellationToken cancellationToken)
    {
        if (async)
        {
            await Pool.Source.PingAsync(Db, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            Pool.Source.Ping(Db);
        }
    }

    /// <summary>Under the pool's lock: hands the connection to a new holder.</summary>
    /// <returns>The new lease's number, which the holder gives back with it.</returns>
    public int TakeLease()
    {
        State = ConnectionState.InUse;
        return ++Lease;
    }

    /// <summary>Whether <paramref name="lease"/> is the lease the connection is held under now (a second return of an ended lease is not).</summary>
    public bool IsLeasedAs(int lease) => Lease == lease && State == ConnectionState.InUse;

    /// <summary>Under the pool's lock: the connection is back in the idle list as of <paramref name="now"/>.</summary>
    public void MarkIdle(long now)
    {
        State = ConnectionState.Idle;
        ReturnedAt = now;
    }

    /// <summary>Under the pool's lock: the connection leaves the pool to be closed; it is never handed out again.</summary>
    public void MarkClosed() => State = ConnectionState.Closed;

    /// <summary>Under the pool's lock: a forced dispose takes the connection from its holder, whose failure then says why.</summary>
    public void MarkForcedClose() => ForcedClose = true;

    /// <summary>
    /// Starts the lease's clocks, right after it was taken: the leak watch when <paramref name="leakThreshold"/> is set
    /// (with the stack that took it), and the use-time clock when <paramref name="timeUse"/> is.
    /// </summary>
    public void StartLeaseClock(TimeSpan? leakThreshold, bool timeUse)
    {
        if (leakThreshold is { } threshold)
        {
            _leasedAt = Pool.Time.GetTimestamp();
            var watch = new LeakWatch(this, Lease, new StackTrace(3, fNeedFileInfo: true).ToString());
            _leak = watch;
            watch.Start(Pool.Time, threshold);
        }
        else if (timeUse)
        {
            _leasedAt = Pool.Time.GetTimestamp();
        }
    }

    /// <summary>Under the pool's lock, once the lease was found current: stops the lease's clocks, for the pool to report outside the lock.</summary>
    public EndedLease EndLeaseClock()
    {
        // A plain read on the check-in path: only a close races for the watch, and a connection being closed is not leased.
        var leak = _leak;
        if (leak is not null)
        {
            _leak = null;
        }

        var ended = new EndedLease(leak?.Timer, leak?.Reported == true, _leasedAt);
        _leasedAt = 0;
        return ended;
    }

    /// <summary>Remembers the transaction Switchboard began on the connection.</summary>
    public void AttachTransaction(DbTransaction transaction) => Transaction = transaction;

    /// <summary>Forgets the transaction (it was committed, rolled back or is being rolled back).</summary>
    /// <returns>The transaction it had, if any.</returns>
    public DbTransaction? DetachTransaction()
    {
        var transaction = Transaction;
        Transaction = null;
        return transaction;
    }

    /// <summary>A statement starts on the connection: a forced dispose cancels it rather than close the connection under the driver.</summary>
    public void BeginStatement(DbCommand command) => Running = command;

    /// <summary>The statement that was running ended.</summary>
    public void EndStatement() => Running = null;

    /// <summary>Marks the connection not to be pooled again: it is closed when given back.</summary>
    public void Break() => Broken = true;

    /// <summary>Marks the connection lost, so that it and the idle connections older than it are discarded.</summary>
    public void MarkDisconnected()
    {
        Broken = true;
        Disconnected = true;
    }

    /// <summary>Stops its leak watch, disposes the cached commands, then the connection; once only, whoever calls first (the pool, or a statement deadline giving it up).</summary>
    public void Close()
    {
        Interlocked.Exchange(ref _leak, null)?.Timer?.Dispose();
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

    /// <summary>
    /// Ends the connection while a driver call may still be blocked in it (<see cref="Switchboard.Dialects.DriverDataSource.Abort"/>), so that
    /// the call returns; only after <see cref="TryBeginClose"/> returned true, and off the caller's thread.
    /// </summary>
    public void AbortNow()
    {
        _deadline?.Dispose();
        Pool.Source.Abort(Db);
        _commands?.Clear();
    }

    /// <summary>What an ended lease leaves to report: its leak timer to dispose, whether a leak was reported, and when it began (0 when untimed).</summary>
    public readonly record struct EndedLease(ITimer? LeakTimer, bool LeakReported, long LeasedAt);

    /// <summary>The leak detection of one lease: a timer that reports the lease if it is still held at the threshold.</summary>
    private sealed class LeakWatch(PooledConnection connection, int lease, string stack)
    {
        public ITimer? Timer { get; private set; }

        public bool Reported { get; private set; }

        public void Start(TimeProvider time, TimeSpan threshold) =>
            Timer = time.CreateTimer(static state => ((LeakWatch)state!).OnThreshold(), this, threshold, Timeout.InfiniteTimeSpan);

        private void OnThreshold()
        {
            // A callback already queued when its lease ended must not report the next holder.
            if (connection.Lease != lease || connection.State != ConnectionState.InUse || !ReferenceEquals(connection._leak, this))
            {
                return;
            }

            Reported = true;
            connection.Pool.Telemetry.LeakSuspected(connection, connection.Pool.Time.GetElapsedTime(connection._leasedAt), stack);
        }
    }
}
