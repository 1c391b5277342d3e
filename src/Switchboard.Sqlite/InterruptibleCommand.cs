using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using Switchboard.Providers;

namespace Switchboard.Sqlite;

/// <summary>
/// A SqliteCommand that can be stopped. SQLite runs a statement on the caller's thread and Microsoft.Data.Sqlite checks
/// no token while it steps, nor applies CommandTimeout to execution (only to waiting for a lock), so a long statement
/// ran to its end whatever the token said. <see cref="Cancel"/> calls <c>sqlite3_interrupt</c> on the connection (safe
/// from any thread); DbCommand's async methods call it when their token fires, and Switchboard's statement deadline
/// calls it when command_timeout passes. The statement then fails with SQLITE_INTERRUPT, which this command turns into
/// an <see cref="OperationCanceledException"/>; the connection itself stays usable.
/// </summary>
[SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "The text is the caller's statement, passed through as SqliteCommand would take it.")]
internal sealed class InterruptibleCommand : ForwardingDbCommand<SqliteCommand>
{
    private const int SqliteInterrupt = 9;

    private volatile bool _cancelled;

    public InterruptibleCommand(SqliteCommand inner)
        : base(inner)
    {
    }

    [AllowNull]
    public override string CommandText
    {
        get => Inner.CommandText;
        set => Inner.CommandText = value;
    }

    /// <summary>
    /// The statement's time limit, which Switchboard's deadline enforces by cancelling it. It is not passed on:
    /// Microsoft.Data.Sqlite would use it as its wait for a lock, which stays the connection's busy_timeout.
    /// </summary>
    public override int CommandTimeout { get; set; }

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
            return Inner.ExecuteNonQuery();
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == SqliteInterrupt)
        {
            throw Interrupted(exception);
        }
    }

    public override object? ExecuteScalar()
    {
        Start();
        try
        {
            return Inner.ExecuteScalar();
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == SqliteInterrupt)
        {
            throw Interrupted(exception);
        }
    }

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
    {
        Start();
        try
        {
            return Inner.ExecuteReader(behavior);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == SqliteInterrupt)
        {
            throw Interrupted(exception);
        }
    }

    private void Interrupt()
    {
        if (Inner.Connection?.Handle is { } handle)
        {
            SQLitePCL.raw.sqlite3_interrupt(handle);
        }
    }

    private void Start() => _cancelled = false;

    private Exception Interrupted(SqliteException exception) =>
        _cancelled ? new OperationCanceledException("The statement was cancelled and SQLite interrupted it.", exception) : exception;
}
