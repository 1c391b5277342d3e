using Switchboard.Tests.Support;

namespace Switchboard.IntegrationTests.PgBouncer;

/// <summary>Configurations of connections through the test PgBouncer (transaction pooling), and a table of their own.</summary>
internal static class PgBouncerSupport
{
    /// <summary>A connection through PgBouncer; with <paramref name="pooler"/>, configured with <c>pooler: pgbouncer</c> in the URL.</summary>
    public static ConnectionConfig Config(bool pooler, Action<ConnectionConfig>? change = null)
    {
        var url = TestServers.Require(TestServers.PgBouncerVariable);
        var config = ConnectionConfig.Parse(pooler ? url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "pooler=pgbouncer" : url);
        config.Driver = "postgresql";
        config.PoolTimeout = TimeSpan.FromSeconds(20);
        change?.Invoke(config);
        return config;
    }

    /// <summary>A connection straight to the PostgreSQL server behind PgBouncer, for setting up and checking.</summary>
    public static ConnectionConfig Direct()
    {
        var config = ConnectionConfig.Parse(TestServers.Require(TestServers.PostgresVariable));
        config.Driver = "postgresql";
        return config;
    }

    /// <summary>The SQLSTATEs of a prepared statement that a pooler handed to another client's session.</summary>
    public static bool IsPreparedStatementMixUp(Exception exception) =>
        exception.InnerException is Npgsql.PostgresException { SqlState: "26000" or "42P05" or "08P01" or "22P03" or "0A000" or "42P18" or "XX000" };
}
