using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Switchboard.Sqlite;

/// <summary>
/// A SqliteCommand that can be stopped. SQLite runs a statement on the caller's thread and Microsoft.Data.Sqlite checks
/// no token while it steps, nor applies CommandTimeout to execution (only to waiting for a lock), so a long statement
/// ran to its end whatever the token said. <see cref="Cancel"/> calls <c>sqlite3_interrupt</c> on the connection (safe
/// from any thread); DbCommand's async methods call it when their token fires, and <see cref="StatementWatchdog"/>
/// calls it when the command timeout passes. The statement then fails with SQLITE_INTERRUPT, which this command turns
/// into an <see cref="OperationCanceledException"/> or a timeout error; the connection itself stays usable.
/// </summary>
/// <remarks>
/// The timeout covers a statement until it returns its first row (all of it for ExecuteScalar and ExecuteNonQuery);
/// rows read afterwards are covered by the token that ReadAsync checks.
/// </remarks>
[SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "The text is the caller's statement, passed through as SqliteCommand would take it.")]
internal sealed class InterruptibleCommand : DbCommand
{
    private const int SqliteInterrupt = 9;

    private readonly SqliteCommand _inner;
    private readonly StatementWatchdog _watchdog;
    private readonly Lock _interrupting = new();
    private int _timeoutSeconds;
    private long _deadline;
    private volatile bool _cancelled;
    private volatile bool _timedOut;

    public InterruptibleCommand(SqliteCommand inner, StatementWatchdog watchdog)
    {
        _inner = inner;
        _watchdog = watchdog;
        _timeoutSeconds = inner.CommandTimeout;
    }

    /// <summary>When the running statement must stop (a <see cref="Stopwatch"/> timestamp); 0 when none runs or it has no limit, -1 once timed out.</summary>
    internal long Deadline => Volatile.Read(ref _deadline);

    [AllowNull]
    public override string CommandText
    {
        get => _inner.CommandText;
        set => _inner.CommandText = value;
    }

    /// <summary>The longest a statement may run, in seconds; 0 for no limit. Also Microsoft.Data.Sqlite's wait for a lock.</summary>
    public override int CommandTimeout
    {
        get => _timeoutSeconds;
        set
        {
            _timeoutSeconds = value;
            _inner.CommandTimeout = value;
        }
    }

    public override CommandType CommandType
    {
        get => _inner.CommandType;
        set => _inner.CommandType = value;
    }

    public override bool DesignTimeVisible
    {
        get => _inner.DesignTimeVisible;
        set => _inner.DesignTimeVisible = value;
    }

    public override UpdateRowSource UpdatedRowSource
    {
        get => _inner.UpdatedRowSource;
        set => _inner.UpdatedRowSource = value;
    }

    protected override DbConnection? DbConnection
    {
        get => _inner.Connection;
        set => _inner.Connection = (SqliteConnection?)value;
    }

    protected override DbParameterCollection DbParameterCollection => _inner.Parameters;

    protected override DbTransaction? DbTransaction
    {
        get => _inner.Transaction;
        set => _inner.Transaction = (SqliteTransaction?)value;
    }

    /// <summary>Interrupts the statement running on this command's connection, from any thread; nothing when none runs.</summary>
    public override void Cancel()
    {
        _cancelled = true;
        Interrupt();
    }

    public override int ExecuteNonQuery()
    {
        Start();
        try
        {
            return _inner.ExecuteNonQuery();
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == SqliteInterrupt)
        {
            throw Interrupted(exception);
        }
        finally
        {
            Stop();
        }
    }

    public override object? ExecuteScalar()
    {
        Start();
        try
        {
            return _inner.ExecuteScalar();
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == SqliteInterrupt)
        {
            throw Interrupted(exception);
        }
        finally
        {
            Stop();
        }
    }

    public override void Prepare() => _inner.Prepare();

    protected override DbParameter CreateDbParameter() => _inner.CreateParameter();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
    {
        Start();
        try
        {
            return _inner.ExecuteReader(behavior);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == SqliteInterrupt)
        {
            throw Interrupted(exception);
        }
        finally
        {
            Stop();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _watchdog.Forget(this);
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Called by the watchdog once <paramref name="deadline"/> has passed: interrupts the statement that had it, and no later one.</summary>
    internal void TimeOut(long deadline)
    {
        lock (_interrupting)
        {
            if (Interlocked.CompareExchange(ref _deadline, -1, deadline) == deadline)
            {
                _timedOut = true;
                Interrupt();
            }
        }
    }

    private void Interrupt()
    {
        if (_inner.Connection?.Handle is { } handle)
        {
            SQLitePCL.raw.sqlite3_interrupt(handle);
        }
    }

    private void Start()
    {
        _cancelled = false;
        _timedOut = false;
        if (_timeoutSeconds > 0)
        {
            Volatile.Write(ref _deadline, Stopwatch.GetTimestamp() + (_timeoutSeconds * Stopwatch.Frequency));
            _watchdog.Watch(this);
        }
    }

    private void Stop()
    {
        if (Interlocked.Exchange(ref _deadline, 0) == -1)
        {
            // The watchdog is interrupting this statement: wait until it has, so that the interrupt cannot reach the next one.
            lock (_interrupting)
            {
            }
        }
    }

    private Exception Interrupted(SqliteException exception)
    {
        if (_timedOut)
        {
            // A DbException, so that the connection translates it into a statement error naming the connection, and
            // keeps the physical connection: an interrupted SQLite connection is as good as before.
            return new SqliteException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The statement ran longer than the command timeout ({_timeoutSeconds} s) and was interrupted. Raise command_timeout on this connection, or make the statement faster."),
                SqliteInterrupt);
        }

        return _cancelled ? new OperationCanceledException("The statement was cancelled and SQLite interrupted it.", exception) : exception;
    }
}
