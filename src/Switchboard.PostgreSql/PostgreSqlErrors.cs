using System.Data.Common;
using Npgsql;
using Switchboard.Dialects;

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

    /// <summary>
    /// 08P01 is protocol_violation, and PgBouncer (like other poolers) sends every refusal of its own under it. These
    /// beginnings of its message text mean the pooler, not the session, is at fault, and that the same work may succeed
    /// once it can reach the server again.
    /// </summary>
    public static readonly IReadOnlyList<string> PoolerRetryMessages =
    [
        "server login has been failing", // server_login_retry: the pooler cannot log in to the server
        "pgbouncer cannot connect to server",
        "query_wait_timeout", // no server connection came free in time
        "no more connections allowed", // max_client_conn
        "server conn crashed",
        "client_idle_timeout",
        "server_idle_timeout",
        "database removed",
        "server shutting down",
    ];

    /// <summary>The beginnings of the message a pooler sends when it refuses a startup parameter it does not know.</summary>
    public static readonly IReadOnlyList<string> StartupParameterMessages = ["unsupported startup parameter"];

    /// <summary>What happened and which key to change, for the errors a generic message would misreport.</summary>
    public static string? Explain(Exception exception, string? statement)
    {
        if (exception is not PostgresException postgres)
        {
            return null;
        }

        if (PreparedStatementStates.Contains(postgres.SqlState)
            || (postgres.SqlState == ProtocolViolation && postgres.MessageText.Contains("prepared statement", StringComparison.OrdinalIgnoreCase)))
        {
            return PreparedStatementMixUp;
        }

        if (postgres.SqlState == ProtocolViolation)
        {
            if (StartsWithAny(postgres.MessageText, StartupParameterMessages))
            {
                var parameter = postgres.MessageText[(postgres.MessageText.LastIndexOf(':') + 1)..].Trim();
                return parameter.Equals("search_path", StringComparison.OrdinalIgnoreCase)
                    ? $"A connection pooler such as PgBouncer refused the startup parameter {parameter}: set pooler: pgbouncer on this connection, "
                        + "and Switchboard sends the schema key with each statement instead of at connect, and prepares nothing on the server. "
                        + "(Adding search_path to the pooler's ignore_startup_parameters would connect, but drop the schema key in silence.) "
                        + "Host and credentials are not at fault."
                    : $"A connection pooler such as PgBouncer refused the startup parameter {parameter}: add {parameter} to the pooler's "
                        + "ignore_startup_parameters. Host and credentials are not at fault.";
            }

            if (StartsWithAny(postgres.MessageText, PoolerRetryMessages))
            {
                return "A connection pooler such as PgBouncer between Switchboard and the server gave up on this session (its message is above): "
                    + "the pooler cannot reach or log in to the server, or has no server connection free. Check the pooler's own settings and the server "
                    + "behind it; retrying later may succeed.";
            }

            return "The server (or a connection pooler in front of it) reported a protocol violation and closed the session; the network did not fail. "
                + "If PgBouncer sits in between in transaction mode, set pooler: pgbouncer on this connection, so that nothing is prepared on the "
                + "server and no session state is assumed.";
        }

        // An unbound placeholder reaches the server as the '@' operator applied to a column of that name.
        if (postgres.SqlState == UndefinedColumn && statement is not null && UndefinedName(postgres.MessageText) is { } name
            && statement.Contains("@" + name, StringComparison.Ordinal))
        {
            return $"The statement uses the parameter @{name}, but no value named '{name}' was given: add {name} to the parameters (or remove @{name} from the statement).";
        }

        return null;
    }

    /// <summary>
    /// invalid_sql_statement_name (<c>prepared statement "_auto3" does not exist</c>) and duplicate_prepared_statement: a
    /// pooler ran this client's statement on a server session that another client prepared its statements on.
    /// </summary>
    public static readonly IReadOnlySet<string> PreparedStatementStates = new HashSet<string>(StringComparer.Ordinal) { "26000", "42P05" };

    private const string PreparedStatementMixUp =
        "The server session's prepared statements are not the ones this connection prepared: a connection pooler in transaction mode, such as "
        + "PgBouncer, ran this connection's statement on a session that another client used. Set pooler: pgbouncer on this connection "
        + "(or auto_prepare: false), so that nothing is prepared on the server. Until then a statement may also run another client's "
        + "prepared statement of the same name, with this one's values, and succeed.";

    private const string ProtocolViolation = "08P01";
    private const string UndefinedColumn = "42703";

    private static bool StartsWithAny(string text, IReadOnlyList<string> beginnings) =>
        beginnings.Any(b => text.StartsWith(b, StringComparison.OrdinalIgnoreCase));

    /// <summary>The name in <c>column "x" does not exist</c>.</summary>
    private static string? UndefinedName(string message)
    {
        var open = message.IndexOf('"', StringComparison.Ordinal);
        var close = open >= 0 ? message.IndexOf('"', open + 1) : -1;
        return close > open + 1 ? message[(open + 1)..close] : null;
    }

    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException { SqlState: ProtocolViolation } pooler => StartsWithAny(pooler.MessageText, PoolerRetryMessages),
        PostgresException postgres => TransientStates.Contains(postgres.SqlState),

        // Not from the server: Npgsql marks I/O failures and timeouts transient.
        NpgsqlException npgsql => npgsql.IsTransient || DriverErrors.HasNetworkCause(npgsql),
        _ => false,
    };

    public static bool IsDisconnect(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || DisconnectStates.Contains(postgres.SqlState),
        NpgsqlException npgsql => DriverErrors.HasNetworkCause(npgsql),
        _ => false,
    };

    /// <summary>The SQLSTATE, kind and constraint of a failed statement: PostgreSQL names its errors by SQLSTATE alone.</summary>
    public static StatementErrorInfo Describe(DbException exception) => exception is PostgresException postgres
        ? new StatementErrorInfo(DriverErrors.KindOfSqlState(postgres.SqlState), postgres.SqlState, null, postgres.ConstraintName)
        : new StatementErrorInfo(DriverErrors.KindOfSqlState(exception.SqlState), exception.SqlState);
}
