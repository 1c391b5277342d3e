using MySqlConnector;
using System.Data.Common;
using System.Text.RegularExpressions;
using Switchboard.Dialects;

namespace Switchboard.MySql;

/// <summary>Which MySQL and MariaDB errors are worth retrying and which mean the connection is gone, from explicit error-number lists.</summary>
internal static partial class MySqlErrors
{
    /// <summary>Error numbers that mean the session is over: the server closed it, or it was lost on the way.</summary>
    public static readonly IReadOnlySet<int> DisconnectNumbers = new HashSet<int>
    {
        (int)MySqlErrorCode.ServerShutdown, // 1053
        (int)MySqlErrorCode.AbortingConnection, // 1152
        (int)MySqlErrorCode.NewAbortingConnection, // 1184
        (int)MySqlErrorCode.NetReadError, // 1158
        (int)MySqlErrorCode.NetReadInterrupted, // 1159
        (int)MySqlErrorCode.NetErrorOnWrite, // 1160
        (int)MySqlErrorCode.NetWriteInterrupted, // 1161
        1927, // ER_CONNECTION_KILLED (MariaDB): KILL CONNECTION
        (int)MySqlErrorCode.ClientInteractionTimeout, // 4031 (MySQL 8): disconnected by the server after wait_timeout
        2006, // CR_SERVER_GONE_ERROR, relayed by proxies
        2013, // CR_SERVER_LOST, relayed by proxies
    };

    /// <summary>Error numbers after which the same work may succeed when retried: every disconnect, and these.</summary>
    public static readonly IReadOnlySet<int> TransientNumbers = new HashSet<int>(DisconnectNumbers)
    {
        (int)MySqlErrorCode.ConnectionCountError, // 1040 too many connections
        (int)MySqlErrorCode.TooManyUserConnections, // 1203 max_user_connections
        (int)MySqlErrorCode.UnableToConnectToHost, // 1042 (MySqlConnector: the server could not be reached)
        (int)MySqlErrorCode.LockWaitTimeout, // 1205
        (int)MySqlErrorCode.LockDeadlock, // 1213
        3572, // ER_LOCK_NOWAIT: a NOWAIT lock was not available
    };

    /// <summary>Error numbers after which InnoDB has rolled back the whole transaction, not only the statement.</summary>
    public static readonly IReadOnlySet<int> TransactionRollbackNumbers = new HashSet<int>
    {
        (int)MySqlErrorCode.LockDeadlock, // 1213: the deadlock victim's transaction is rolled back
        (int)MySqlErrorCode.XARBDeadlock, // 1614: the same inside an XA transaction
    };

    /// <summary>
    /// What happened and what to change, for the errors whose driver text misleads: MySqlConnector reports an unbound
    /// parameter with advice about its connection string, which Switchboard builds itself.
    /// </summary>
    public static string? Explain(Exception exception)
    {
        const string Unbound = "Parameter '";
        if (exception is MySqlException mysql && mysql.Message.StartsWith(Unbound, StringComparison.Ordinal)
            && mysql.Message.IndexOf("' must be defined", StringComparison.Ordinal) is var end and > 0)
        {
            var name = mysql.Message[Unbound.Length..end].TrimStart('@', '?');
            return $"The statement uses the parameter @{name}, but no value named '{name}' was given: add {name} to the parameters "
                + "(Switchboard does not turn on user variables, so '@name' in a statement is always a parameter).";
        }

        return null;
    }

    public static bool IsTransient(Exception exception) => exception switch
    {
        MySqlException mysql => TransientNumbers.Contains(mysql.Number) || DriverErrors.HasNetworkCause(mysql),
        _ => false,
    };

    public static bool IsDisconnect(Exception exception) => exception switch
    {
        MySqlException mysql => DisconnectNumbers.Contains(mysql.Number) || DriverErrors.HasNetworkCause(mysql),
        _ => false,
    };

    /// <summary>The kind of failure each error number names, MySQL's and MariaDB's both.</summary>
    public static readonly IReadOnlyDictionary<int, StatementErrorKind> Kinds = new Dictionary<int, StatementErrorKind>
    {
        [1062] = StatementErrorKind.UniqueViolation, // ER_DUP_ENTRY
        [1586] = StatementErrorKind.UniqueViolation, // ER_DUP_ENTRY_WITH_KEY_NAME
        [1022] = StatementErrorKind.UniqueViolation, // ER_DUP_KEY
        [1451] = StatementErrorKind.ForeignKeyViolation, // ER_ROW_IS_REFERENCED_2: the parent still has children
        [1452] = StatementErrorKind.ForeignKeyViolation, // ER_NO_REFERENCED_ROW_2: the parent is missing
        [1216] = StatementErrorKind.ForeignKeyViolation, // ER_NO_REFERENCED_ROW
        [1217] = StatementErrorKind.ForeignKeyViolation, // ER_ROW_IS_REFERENCED
        [1048] = StatementErrorKind.NotNullViolation, // ER_BAD_NULL_ERROR
        [1364] = StatementErrorKind.NotNullViolation, // ER_NO_DEFAULT_FOR_FIELD (strict mode: a NOT NULL column left out)
        [3819] = StatementErrorKind.CheckViolation, // ER_CHECK_CONSTRAINT_VIOLATED (MySQL 8)
        [4025] = StatementErrorKind.CheckViolation, // ER_CONSTRAINT_FAILED (MariaDB)
        [1213] = StatementErrorKind.Deadlock, // ER_LOCK_DEADLOCK
        [1614] = StatementErrorKind.Deadlock, // ER_XA_RBDEADLOCK
        [3101] = StatementErrorKind.SerializationFailure, // ER_TRANSACTION_ROLLBACK_DURING_COMMIT (group replication conflict)
        [1205] = StatementErrorKind.Timeout, // ER_LOCK_WAIT_TIMEOUT
        [3572] = StatementErrorKind.Timeout, // ER_LOCK_NOWAIT
        [3024] = StatementErrorKind.Timeout, // ER_QUERY_TIMEOUT (max_execution_time)
        [1969] = StatementErrorKind.Timeout, // ER_STATEMENT_TIMEOUT (MariaDB max_statement_time)
        [1064] = StatementErrorKind.Syntax, // ER_PARSE_ERROR
        [1149] = StatementErrorKind.Syntax, // ER_SYNTAX_ERROR
        [1146] = StatementErrorKind.Syntax, // ER_NO_SUCH_TABLE
        [1054] = StatementErrorKind.Syntax, // ER_BAD_FIELD_ERROR (unknown column)
        [1305] = StatementErrorKind.Syntax, // ER_SP_DOES_NOT_EXIST (unknown function)
    };

    /// <summary>The error number, SQLSTATE, kind and constraint of a failed statement.</summary>
    public static StatementErrorInfo Describe(DbException exception)
    {
        int? number = exception switch
        {
            MySqlException mysql => mysql.Number,
            _ when exception.Data["Server Error Code"] is int code => code, // Switchboard's redacted copy keeps the driver's data
            _ => null,
        };

        var kind = number is { } n && Kinds.TryGetValue(n, out var known) ? known : DriverErrors.KindOfSqlState(exception.SqlState);
        return new StatementErrorInfo(kind, exception.SqlState, number, ConstraintName(kind, exception.Message));
    }

    /// <summary>The constraint a message names: <c>for key 'users.uq_email'</c>, <c>CONSTRAINT `fk_x`</c>, <c>Check constraint 'chk' is violated</c>.</summary>
    public static string? ConstraintName(StatementErrorKind kind, string message)
    {
        var match = kind switch
        {
            StatementErrorKind.UniqueViolation => DuplicateKey().Match(message),
            StatementErrorKind.ForeignKeyViolation or StatementErrorKind.CheckViolation when BacktickConstraint().Match(message) is { Success: true } quoted => quoted,
            StatementErrorKind.CheckViolation => CheckConstraint().Match(message),
            _ => Match.Empty,
        };
        if (!match.Success)
        {
            return null;
        }

        // MySQL 8 names a unique key as table.key.
        var name = match.Groups[1].Value;
        return kind == StatementErrorKind.UniqueViolation && name.LastIndexOf('.') is var dot and > 0 ? name[(dot + 1)..] : name;
    }

    [GeneratedRegex(@"for key '([^']+)'\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex DuplicateKey();

    [GeneratedRegex(@"CONSTRAINT `([^`]+)`", RegexOptions.CultureInvariant)]
    private static partial Regex BacktickConstraint();

    [GeneratedRegex(@"[Cc]heck constraint '([^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex CheckConstraint();
}
