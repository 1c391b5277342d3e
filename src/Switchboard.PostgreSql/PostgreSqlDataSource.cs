using System.Data.Common;
using Npgsql;
using Switchboard.Dialects;

namespace Switchboard.PostgreSql;

/// <summary>Opens Npgsql connections with Npgsql's pooling off, built from the configuration once per pool.</summary>
internal sealed class PostgreSqlDataSource : DriverDataSource
{
    /// <summary>Behind a transaction-pooling pooler: the schema each statement carries, since no session keeps one.</summary>
    private readonly string? _statementSchema;

    public PostgreSqlDataSource(ConnectionConfig config, string connectionName)
    {
        ConnectionString = BuildConnectionString(config, connectionName);
        _statementSchema = PostgreSqlPooler.IsPooled(config) ? PostgreSqlOptions.SchemaKey.ValueOrDefault(config)! : null;
    }

    /// <summary>The connection string, password included: never shown in messages.</summary>
    public string ConnectionString { get; }

    public static string BuildConnectionString(ConnectionConfig config, string connectionName)
    {
        ArgumentNullException.ThrowIfNull(config);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = config.Host ?? "localhost",
            Port = config.Port ?? 5432,
            Database = config.Database,
            Username = config.Username,
            Password = config.Password,

            // Our pool bounds the physical connections; Npgsql's own pool would hide them from it.
            Pooling = false,
            Timeout = Seconds(config.ConnectTimeout),
            CommandTimeout = CommandTimeoutFor(config.CommandTimeout),

            // Should Npgsql's own timer fire (a backstop, see CommandTimeoutFor), it waits no longer than Switchboard's
            // grace for its cancel either (its default is 2 s).
            CancellationTimeout = 1000,

            // Npgsql sends a cancel request on a connection of its own, bounded only by Timeout (connect_timeout), while it
            // holds the lock that every way out of a blocked sync read needs; under GSS "prefer" it tries that connection a
            // second time after any failure, so a stopped postmaster would hold a sync caller for twice connect_timeout.
            // Switchboard authenticates with a password and encrypts with TLS (sslmode); GSS encryption is never negotiated.
            GssEncryptionMode = GssEncryptionMode.Disable,
            ApplicationName = config.ApplicationName ?? "Switchboard:" + connectionName,
        };

        if (!PostgreSqlPooler.IsPooled(config))
        {
            // search_path is a list of identifiers: the schema is quoted so that its name is taken as written. Behind a
            // pooler it is no startup parameter (PgBouncer refuses it), but part of each statement (SchemaScopedCommand).
            builder.SearchPath = PostgreSqlDialect.Quote(PostgreSqlOptions.SchemaKey.ValueOrDefault(config)!);
        }

        // With the session in UTC, timestamp <-> timestamptz conversions are lossless whatever the server's zone.
        // (PgBouncer accepts TimeZone, and sets it again on whichever server session runs the client's transaction.)
        builder.Timezone = "UTC";

        // Statements used again are prepared on the server once per physical connection (our pool keeps them open), as a
        // hand-written prepared command would be: parse and plan once, then bind and execute. Not behind a transaction
        // pooler unless asked: Npgsql names them _auto0, _auto1... per client connection, and another client's statement
        // of the same name may be waiting on the server session the pooler hands out. Npgsql's default is no preparation.
        if (PostgreSqlPooler.AutoPrepares(config))
        {
            builder.MaxAutoPrepare = 128;
            builder.AutoPrepareMinUsages = 2;
        }

        if (config.SslMode is { } mode)
        {
            builder.SslMode = PostgreSqlDriver.SslModes[mode.Trim()];
        }

        return builder.ConnectionString;
    }

    public override DbConnection CreateConnection() => new NpgsqlConnection(ConnectionString);

    public override DbCommand CreateCommand(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        return _statementSchema is null ? command : new SchemaScopedCommand((NpgsqlCommand)command, _statementSchema);
    }

    /// <summary>
    /// Npgsql's own command timeout: <see cref="DriverDataSource.BackstopSeconds"/> after Switchboard's deadline, not at it. At the
    /// deadline Switchboard asks the server whether a cancel can get through and sends it only then, and at the end of the
    /// grace shuts the socket (<see cref="Abort"/>). Npgsql's timer at the same moment would start a cancel of its own,
    /// which against a stopped postmaster holds the lock every way out of the read needs until <c>connect_timeout</c>.
    /// </summary>
    public override int CommandTimeoutSeconds(TimeSpan commandTimeout) => CommandTimeoutFor(commandTimeout);

    /// <summary>
    /// Sends Npgsql's cancel only when the server answers at all (<see cref="PostmasterProbe"/>): against a stopped
    /// postmaster, Npgsql's cancel request waits for <c>connect_timeout</c> while holding the lock that every way out of
    /// the statement's blocked read needs, so the caller would hear that much later. Without a cancel, the statement is
    /// ended by <see cref="Abort"/> at the end of the grace; whether it ran on the server is unknown either way.
    /// </summary>
    public override void Cancel(DbCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Connection is NpgsqlConnection connection
            && NpgsqlSocket.PeerOf(connection) is { } server
            && !PostmasterProbe.Answers(server, PostmasterProbe.AnswerTime))
        {
            return;
        }

        command.Cancel();
    }

    /// <summary>
    /// Shuts the connection's socket down before disposing it: Npgsql's close waits for a call blocked in a read (a stopped
    /// server never answers), while a shut socket ends that read at once, and the caller's thread then breaks the connection.
    /// </summary>
    public override void Abort(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection is NpgsqlConnection npgsql)
        {
            NpgsqlSocket.ShutDown(npgsql);
        }

        connection.Dispose();
    }

    internal static int CommandTimeoutFor(TimeSpan commandTimeout) => SecondsAfterDeadline(commandTimeout, BackstopSeconds);

    private static int Seconds(TimeSpan span) => (int)Math.Ceiling(span.TotalSeconds);
}
