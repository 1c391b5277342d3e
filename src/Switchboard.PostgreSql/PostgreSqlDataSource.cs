using System.Data.Common;
using Npgsql;
using Switchboard.Dialects;

namespace Switchboard.PostgreSql;

/// <summary>Opens Npgsql connections with Npgsql's pooling off, built from the configuration once per pool.</summary>
internal sealed class PostgreSqlDataSource : DriverDataSource
{
    public PostgreSqlDataSource(ConnectionConfig config, string connectionName)
    {
        ConnectionString = BuildConnectionString(config, connectionName);
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
            CommandTimeout = Seconds(config.CommandTimeout),

            // Switchboard's own command_timeout gives a cancel 1 s before it closes the connection; Npgsql's own timeout
            // (what ends a sync caller's read) waits no longer than that for its cancel either (its default is 2 s).
            CancellationTimeout = 1000,
            ApplicationName = config.ApplicationName ?? "Switchboard:" + connectionName,

            // search_path is a list of identifiers: the schema is quoted so that its name is taken as written.
            SearchPath = PostgreSqlDialect.Quote(config.Schema ?? "public"),

            // With the session in UTC, timestamp <-> timestamptz conversions are lossless whatever the server's zone.
            Timezone = "UTC",

            // Statements used again are prepared on the server once per physical connection (our pool keeps them open),
            // as a hand-written prepared command would be: parse and plan once, then bind and execute.
            MaxAutoPrepare = 128,
            AutoPrepareMinUsages = 2,
        };
        if (config.SslMode is { } mode)
        {
            builder.SslMode = PostgreSqlDriver.SslModes[mode.Trim()];
        }

        return builder.ConnectionString;
    }

    public override DbConnection CreateConnection() => new NpgsqlConnection(ConnectionString);

    private static int Seconds(TimeSpan span) => (int)Math.Ceiling(span.TotalSeconds);
}
