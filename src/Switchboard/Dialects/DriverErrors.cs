using System.Data.Common;
using System.Net.Sockets;

namespace Switchboard.Dialects;

/// <summary>Classification that every provider shares: the network beneath a driver's exception, and the standard SQLSTATE classes.</summary>
public static class DriverErrors
{
    /// <summary>Whether the socket beneath failed: an <see cref="IOException"/> or <see cref="SocketException"/> among the inner exceptions, as drivers wrap them.</summary>
    /// <param name="exception">The driver's exception.</param>
    public static bool HasNetworkCause(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is IOException or SocketException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The kind of failure a standard SQLSTATE names (ISO/IEC 9075 and the codes PostgreSQL, MySQL and DB2 share):
    /// 23505 unique, 23503 foreign key, 23502 not null, 23514 check, 40001 serialization failure, 40P01 deadlock,
    /// 57014 cancelled by a statement timeout, 55P03 lock not available, class 42 (but 42501, a missing privilege) syntax.
    /// </summary>
    /// <param name="sqlState">The SQLSTATE, or null.</param>
    public static StatementErrorKind KindOfSqlState(string? sqlState) => sqlState switch
    {
        null or { Length: not 5 } => StatementErrorKind.Other,
        "23505" => StatementErrorKind.UniqueViolation,
        "23503" => StatementErrorKind.ForeignKeyViolation,
        "23502" => StatementErrorKind.NotNullViolation,
        "23514" => StatementErrorKind.CheckViolation,
        "40001" => StatementErrorKind.SerializationFailure,
        "40P01" => StatementErrorKind.Deadlock,
        "57014" or "55P03" => StatementErrorKind.Timeout,
        "42501" => StatementErrorKind.Other,
        _ when sqlState.StartsWith("42", StringComparison.Ordinal) => StatementErrorKind.Syntax,
        _ => StatementErrorKind.Other,
    };

    /// <summary>What a driver's exception says by itself: its SQLSTATE's kind and its own <see cref="DbException.IsTransient"/>.</summary>
    internal static StatementErrorInfo Describe(DbException exception) => new(KindOfSqlState(exception.SqlState), exception.SqlState);
}
