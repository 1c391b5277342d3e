using Switchboard;

namespace WebApi;

/// <summary>Page visits counted on the PostgreSQL connection <c>analytics</c>, with raw SQL.</summary>
public static class Visits
{
    /// <summary>The name of the connection, configured only when PostgreSQL is available.</summary>
    public const string Connection = "analytics";

    /// <summary>The statement that creates the table when it is missing.</summary>
    public const string CreateTable = "CREATE TABLE IF NOT EXISTS switchboard_sample_visits (page TEXT PRIMARY KEY, count BIGINT NOT NULL)";

    /// <summary>Counts one visit of a page and returns its new count, in one statement.</summary>
    public static Task<long> CountAsync(ConnectionRegistry registry, string page, CancellationToken cancellationToken) =>
        registry.GetConnection(Connection).ScalarAsync<long>(
            "INSERT INTO switchboard_sample_visits (page, count) VALUES (@page, 1) "
            + "ON CONFLICT (page) DO UPDATE SET count = switchboard_sample_visits.count + 1 RETURNING count",
            new { page },
            cancellationToken);
}
