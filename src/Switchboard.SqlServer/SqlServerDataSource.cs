using System.Data.Common;
using System.Net;
using Microsoft.Data.SqlClient;
using Switchboard.Dialects;

namespace Switchboard.SqlServer;

/// <summary>Opens SqlClient connections with its pooling off, built from the configuration once per pool.</summary>
internal sealed class SqlServerDataSource : DriverDataSource
{
    public SqlServerDataSource(ConnectionConfig config, string connectionName)
    {
        ConnectionString = BuildConnectionString(config, connectionName);
    }

    /// <summary>The connection string, password included: never shown in messages.</summary>
    public string ConnectionString { get; }

    public static string BuildConnectionString(ConnectionConfig config, string connectionName)
    {
        ArgumentNullException.ThrowIfNull(config);
        var builder = new SqlConnectionStringBuilder
        {
            DataSource = DataSource(config),
            InitialCatalog = config.Database,

            // Our pool bounds the physical connections; SqlClient's own pool would hide them from it.
            Pooling = false,
            ConnectTimeout = Seconds(config.ConnectTimeout),
            CommandTimeout = Seconds(config.CommandTimeout),
            ApplicationName = config.ApplicationName ?? "Switchboard:" + connectionName,
            Encrypt = SqlConnectionEncryptOption.Mandatory,

            // A certificate is worth checking across a network; a local development server's is self-signed.
            TrustServerCertificate = IsLoopback(config.Host),
        };
        if (config.TrustedConnection == true)
        {
            builder.IntegratedSecurity = true;
        }
        else
        {
            builder.UserID = config.Username;
            builder.Password = config.Password ?? "";
        }

        return builder.ConnectionString;
    }

    /// <summary><c>host,port</c>; a named instance (<c>host\instance</c>) without a port is left to the SQL Browser service.</summary>
    public static string DataSource(ConnectionConfig config)
    {
        var host = config.Host ?? "localhost";
        return host.Contains('\\', StringComparison.Ordinal) && config.Port is null ? host : $"{host},{config.Port ?? 1433}";
    }

    public override DbConnection CreateConnection() => new SqlConnection(ConnectionString);

    private static bool IsLoopback(string? host)
    {
        var name = (host ?? "localhost").Split('\\')[0];
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name == "." || (IPAddress.TryParse(name.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }

    private static int Seconds(TimeSpan span) => (int)Math.Ceiling(span.TotalSeconds);
}
