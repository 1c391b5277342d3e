using System.Net.Sockets;
using MySqlConnector;

namespace Switchboard.MySql;

/// <summary>Which MySQL and MariaDB errors are worth retrying and which mean the connection is gone, from explicit error-number lists.</summary>
internal static class MySqlErrors
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
        MySqlException mysql => TransientNumbers.Contains(mysql.Number) || HasNetworkCause(mysql),
        _ => false,
    };

    public static bool IsDisconnect(Exception exception) => exception switch
    {
        MySqlException mysql => DisconnectNumbers.Contains(mysql.Number) || HasNetworkCause(mysql),
        _ => false,
    };

    /// <summary>Whether the socket beneath failed (MySqlConnector wraps the IOException, SocketException or end of stream).</summary>
    private static bool HasNetworkCause(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is IOException or SocketException)
            {
                return true;
            }
        }

        return false;
    }
}
