using Switchboard.Tests.Support;

namespace Switchboard.Cli.Tests.Support;

/// <summary>The test PostgreSQL (SWITCHBOARD_TEST_POSTGRES) as the settings of an appsettings.json connection.</summary>
public static class PostgresConfig
{
    public static Dictionary<string, object?> Settings(string? password = null)
    {
        var config = ConnectionConfig.Parse(TestServers.Require(TestServers.PostgresVariable));
        return new Dictionary<string, object?>
        {
            ["driver"] = "postgresql",
            ["host"] = config.Host,
            ["port"] = config.Port ?? 5432,
            ["database"] = config.Database,
            ["username"] = config.Username,
            ["password"] = password ?? config.Password,
            ["pool_size"] = 2,
        };
    }

    public static string Password => ConnectionConfig.Parse(TestServers.Require(TestServers.PostgresVariable)).Password ?? "";
}
