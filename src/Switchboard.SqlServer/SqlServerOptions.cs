using Switchboard.Dialects;

namespace Switchboard;

/// <summary>
/// The keys of the <c>sqlserver</c> driver: <c>trusted_connection</c> and <c>odbc_driver</c>, with their checks, and
/// their typed properties on <see cref="ConnectionConfig"/>. Adding a key is one declaration here.
/// </summary>
public static class SqlServerOptions
{
    internal static readonly EngineOption<bool?> TrustedConnectionKey = new("trusted_connection", false, "Integrated (Windows) authentication instead of a user name and password.");

    internal static readonly EngineOption<string?> OdbcDriverKey = new("odbc_driver", null, "The ODBC driver name of an ODBC-style configuration; accepted, without effect.");

    internal static IReadOnlyList<EngineOption> All { get; } = [TrustedConnectionKey, OdbcDriverKey];

    internal static void Check(ConnectionConfig config, ICollection<ConfigurationProblem> problems)
    {
        if (config.TrustedConnection == true)
        {
            foreach (var (key, isSet) in new[] { ("username", config.Username is not null), ("password", config.Password is not null) })
            {
                if (isSet)
                {
                    problems.Add(new(
                        key,
                        $"'{key}' cannot be combined with trusted_connection, which signs in as the Windows account running the application. Remove {key}, or set trusted_connection to false."));
                }
            }
        }
        else if (string.IsNullOrWhiteSpace(config.Username))
        {
            problems.Add(new(
                "username",
                "username is required for SQL Server authentication. Set username and password, or set trusted_connection to true for Windows authentication."));
        }
    }

    extension(ConnectionConfig config)
    {
        /// <summary>SQL Server: use integrated (Windows) authentication instead of a user name and password (key <c>trusted_connection</c>).</summary>
        public bool? TrustedConnection
        {
            get => TrustedConnectionKey.GetValue(config);
            set => TrustedConnectionKey.SetValue(config, value);
        }

        /// <summary>
        /// SQL Server: the ODBC driver name of an ODBC-style configuration (e.g. <c>ODBC Driver 17 for SQL Server</c>; key
        /// <c>odbc_driver</c>). Accepted so that existing configuration loads; SqlClient does not use ODBC, so it has no effect.
        /// </summary>
        public string? OdbcDriver
        {
            get => OdbcDriverKey.GetValue(config);
            set => OdbcDriverKey.SetValue(config, value);
        }
    }
}
