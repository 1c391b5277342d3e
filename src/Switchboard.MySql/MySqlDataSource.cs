using System.Data.Common;
using MySqlConnector;
using Switchboard.Dialects;

namespace Switchboard.MySql;

/// <summary>Opens MySqlConnector connections with its pooling off, built from the configuration once per pool.</summary>
/// <remarks>
/// Choices beyond the configuration: <c>UseAffectedRows=false</c>, so that an UPDATE reports the rows it matched (an
/// update that happens to write equal values still proves the row exists, as <c>Save</c> needs);
/// <c>AllowUserVariables=false</c>, so that a mistyped <c>@name</c> is an error rather than a NULL user variable; and
/// <c>GuidFormat=Char36</c>, the most portable storage of a <see cref="Guid"/> (a <c>CHAR(36)</c> column, readable by
/// any client), which MySqlConnector also reads back as <see cref="Guid"/>.
/// </remarks>
internal sealed class MySqlDataSource : DriverDataSource
{
    public MySqlDataSource(ConnectionConfig config, string connectionName)
    {
        ConnectionString = BuildConnectionString(config, connectionName);
    }

    /// <summary>The connection string, password included: never shown in messages.</summary>
    public string ConnectionString { get; }

    public static string BuildConnectionString(ConnectionConfig config, string connectionName)
    {
        ArgumentNullException.ThrowIfNull(config);
        var builder = new MySqlConnectionStringBuilder
        {
            Server = config.Host ?? "localhost",
            Port = (uint)(config.Port ?? 3306),
            Database = config.Database,
            UserID = config.Username,
            Password = config.Password,

            // Our pool bounds the physical connections; MySqlConnector's own pool would hide them from it.
            Pooling = false,
            CharacterSet = MySqlOptions.CharsetKey.ValueOrDefault(config),
            ApplicationName = config.ApplicationName ?? "Switchboard:" + connectionName,
            ConnectionTimeout = Seconds(config.ConnectTimeout),
            DefaultCommandTimeout = (uint)CommandTimeoutFor(config.CommandTimeout),

            // Should MySqlConnector's own timer fire (a backstop, see CommandTimeoutFor), it waits no longer than
            // Switchboard's grace for its cancel either.
            CancellationTimeout = 1,
            AllowUserVariables = false,
            UseAffectedRows = false,
            GuidFormat = MySqlGuidFormat.Char36,
        };
        if (MySqlOptions.LocalInfileKey.ValueOrDefault(config) == true)
        {
            // Only for MySqlBulkCopy in a copy, and only when the configuration opts in (see MySqlOptions.LocalInfile).
            builder.AllowLoadLocalInfile = true;
        }

        if (config.Ssl is { } ssl)
        {
            var ca = MySqlFamilyDriver.Read(ssl, "ca");
            if (MySqlFamilyDriver.Read(ssl, "mode") is { } mode)
            {
                builder.SslMode = MySqlFamilyDriver.SslModes[mode];
            }
            else if (ca is not null)
            {
                // As the mysql client does: a CA without a mode means verify the server against it.
                builder.SslMode = MySqlSslMode.VerifyCA;
            }

            builder.SslCa = ca ?? "";
            builder.SslCert = MySqlFamilyDriver.Read(ssl, "cert") ?? "";
            builder.SslKey = MySqlFamilyDriver.Read(ssl, "key") ?? "";
        }

        return builder.ConnectionString;
    }

    public override DbConnection CreateConnection() => new MySqlConnection(ConnectionString);

    /// <summary>MySqlConnector keeps the last AUTO_INCREMENT value the server reported with the command: no round trip.</summary>
    public override long? ReadLastInsertId(DbCommand command) =>
        command is MySqlCommand { LastInsertedId: > 0 and var id } ? id : null;

    /// <summary>
    /// MySqlConnector's own command timeout: <see cref="DriverDataSource.BackstopSeconds"/> after Switchboard's deadline,
    /// not at it. At the deadline Switchboard cancels a statement, and ends a COMMIT or ROLLBACK (which has no command to
    /// cancel) by shutting its socket (<see cref="Abort"/>). MySqlConnector's timer at the same moment would race that: a sync
    /// caller it reaches first waits for its KILL QUERY to a possibly stopped server, a second past the deadline.
    /// </summary>
    public override int CommandTimeoutSeconds(TimeSpan commandTimeout) => CommandTimeoutFor(commandTimeout);

    /// <summary>
    /// Shuts the connection's socket down before disposing it: MySqlConnector's close from another thread does not end a
    /// sync call blocked in a read (a COMMIT to a stopped server waits for its own timer), while a shut socket ends that
    /// read at once, and the caller's thread then sees the connection broken.
    /// </summary>
    public override void Abort(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection is MySqlConnection mySql)
        {
            MySqlSocket.ShutDown(mySql);
        }

        connection.Dispose();
    }

    internal static int CommandTimeoutFor(TimeSpan commandTimeout) => SecondsAfterDeadline(commandTimeout, BackstopSeconds);

    private static uint Seconds(TimeSpan span) => (uint)Math.Ceiling(span.TotalSeconds);
}
