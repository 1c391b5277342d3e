namespace Switchboard.Tests.Support;

/// <summary>
/// The one place test servers are found: one environment variable per engine, holding a connection URL.
/// A missing server skips the test with a reason on a laptop, and fails it under CI=true.
/// </summary>
public static class TestServers
{
    public const string PostgresVariable = "SWITCHBOARD_TEST_POSTGRES";
    public const string MySqlVariable = "SWITCHBOARD_TEST_MYSQL";

    /// <summary>PgBouncer in transaction pooling mode in front of the PostgreSQL server (scripts/lib/pgbouncer.sh).</summary>
    public const string PgBouncerVariable = "SWITCHBOARD_TEST_PGBOUNCER";
    public const string SqlServerVariable = "SWITCHBOARD_TEST_SQLSERVER";
    public const string OracleVariable = "SWITCHBOARD_TEST_ORACLE";

    /// <summary>A hot standby of <see cref="PostgresVariable"/>'s server, replay delayed 300 ms (scripts/lib/replicas.sh).</summary>
    public const string PostgresStandbyVariable = "SWITCHBOARD_TEST_POSTGRES_STANDBY";

    /// <summary>A MariaDB primary with a GTID replica (<see cref="MySqlReplicaVariable"/>), from scripts/lib/replicas.sh.</summary>
    public const string MySqlPrimaryVariable = "SWITCHBOARD_TEST_MYSQL_PRIMARY";

    /// <summary>The GTID replica of <see cref="MySqlPrimaryVariable"/>'s server.</summary>
    public const string MySqlReplicaVariable = "SWITCHBOARD_TEST_MYSQL_REPLICA";

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The URL of the server, or skip (fail under CI) when it is not set.</summary>
    public static string Require(string variable, bool requiredInCi = true)
    {
        var url = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(url))
        {
            return url;
        }

        var reason = $"{variable} is not set, so this test has no server; scripts/test starts one and sets it.";
        if (IsCi && requiredInCi)
        {
            Assert.Fail(reason + " Under CI=true a missing server is a failure.");
        }

        Assert.Skip(reason);
        return "";
    }
}
