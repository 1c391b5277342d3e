namespace Switchboard;

/// <summary>
/// The server (or the driver) refused a statement: a constraint, a deadlock, a syntax error, a timeout. It keeps what the
/// driver reported, so that no caller has to read messages: <see cref="Kind"/>, <see cref="SqlState"/>,
/// <see cref="ErrorNumber"/> and <see cref="ConstraintName"/>; the driver's exception is the inner exception.
/// </summary>
/// <remarks>
/// A statement whose connection was lost throws <see cref="ConnectionException"/> instead (whether it took effect is
/// unknown), and one that outlived <c>command_timeout</c> throws <see cref="CommandTimeoutException"/>, a
/// <see cref="StatementException"/> of kind <see cref="StatementErrorKind.Timeout"/>. Messages never hold parameter values.
/// </remarks>
public class StatementException : SwitchboardException
{
    /// <summary>Creates the exception for a failed statement.</summary>
    /// <param name="message">What happened and what to change.</param>
    /// <param name="connectionName">The connection the statement ran on.</param>
    /// <param name="kind">What kind of failure it was.</param>
    /// <param name="isTransient">Whether running the same work again may succeed.</param>
    /// <param name="innerException">The driver's exception.</param>
    /// <param name="sqlState">The SQLSTATE, where the engine has one.</param>
    /// <param name="errorNumber">The engine's own error number, where it has one.</param>
    /// <param name="constraintName">The constraint that refused the row, where the driver names it.</param>
    public StatementException(
        string message,
        string? connectionName,
        StatementErrorKind kind,
        bool isTransient,
        Exception? innerException,
        string? sqlState = null,
        int? errorNumber = null,
        string? constraintName = null)
        : base(message, connectionName, isTransient, innerException)
    {
        Kind = kind;
        SqlState = sqlState;
        ErrorNumber = errorNumber;
        ConstraintName = constraintName;
    }

    /// <summary>What kind of failure it was, as the engine's provider reads the driver's error code.</summary>
    public StatementErrorKind Kind { get; }

    /// <summary>The SQLSTATE the driver reported (PostgreSQL, MySQL, MariaDB; null for SQLite and where the driver gives none).</summary>
    public string? SqlState { get; }

    /// <summary>
    /// The engine's own error number: MySQL's and MariaDB's error number (1062), SQL Server's error number (2627), Oracle's
    /// ORA code (1 for ORA-00001), SQLite's extended result code (2067); null for PostgreSQL, whose code is <see cref="SqlState"/>.
    /// </summary>
    public int? ErrorNumber { get; }

    /// <summary>The name of the constraint that refused the row, where the driver names it; null otherwise.</summary>
    public string? ConstraintName { get; }
}
