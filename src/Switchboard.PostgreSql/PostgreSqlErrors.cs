using System.Net.Sockets;
using Npgsql;

namespace Switchboard.PostgreSql;

/// <summary>Which PostgreSQL errors are worth retrying and which mean the connection is gone, from explicit SQLSTATE lists.</summary>
internal static class PostgreSqlErrors
{
    /// <summary>SQLSTATEs after which the same work may succeed when retried.</summary>
    public static readonly IReadOnlySet<string> TransientStates = new HashSet<string>(StringComparer.Ordinal)
    {
        "08000", // connection_exception
        "08001", // sqlclient_unable_to_establish_sqlconnection
        "08003", // connection_does_not_exist
        "08004", // sqlserver_rejected_establishment_of_sqlconnection
        "08006", // connection_failure
        "57P01", // admin_shutdown
        "57P02", // crash_shutdown
        "57P03", // cannot_connect_now (starting up, recovering)
        "53300", // too_many_connections
        "40001", // serialization_failure
        "40P01", // deadlock_detected
        "55P03", // lock_not_available (lock_timeout, NOWAIT)
    };

    /// <summary>SQLSTATEs that end the session: the server closes the connection after sending them.</summary>
    public static readonly IReadOnlySet<string> DisconnectStates = new HashSet<string>(StringComparer.Ordinal)
    {
        "57P01", // admin_shutdown, also pg_terminate_backend
        "57P02", // crash_shutdown
        "57P03", // cannot_connect_now
    };

    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException postgres => TransientStates.Contains(postgres.SqlState),

        // Not from the server: Npgsql marks I/O failures and timeouts transient.
        NpgsqlException npgsql => npgsql.IsTransient || HasNetworkCause(npgsql),
        _ => false,
    };

    public static bool IsDisconnect(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || DisconnectStates.Contains(postgres.SqlState),
        NpgsqlException npgsql => HasNetworkCause(npgsql),
        _ => false,
    };

    /// <summary>Whether the socket beneath failed: Npgsql wraps the IOException or SocketException and breaks the connection.</summary>
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
