using Switchboard.Tests.Support;

namespace Switchboard.IntegrationTests.ServerBehaviour;

/// <summary>
/// PostgreSQL: the pool's sessions are the rows of <c>pg_stat_activity</c> with its <c>application_name</c>, which
/// Switchboard sets to <c>Switchboard:&lt;connection name&gt;</c> by default; each test's pool has a unique name.
/// </summary>
public sealed class PostgreSqlServerEngine : ServerEngine
{
    public override string Variable => TestServers.PostgresVariable;

    public override string Driver => "postgresql";

    public override string SessionIdSql => "SELECT pg_backend_pid()";

    public override string SessionIdAfterSleepSql(double seconds) => $"SELECT pg_backend_pid() FROM pg_sleep({Seconds(seconds)})";

    // pg_terminate_backend takes an integer, which a bigint parameter would not resolve to; the id is a number we read.
    public override string KillSql(long sessionId) => $"SELECT pg_terminate_backend({sessionId})";

    public override Task<IReadOnlyList<long>> SessionsAsync(Connection monitor, string tag, CancellationToken cancellationToken) =>
        IdsAsync(monitor, "SELECT pid FROM pg_stat_activity WHERE application_name = @app ORDER BY pid", new { app = ApplicationName(tag) }, cancellationToken);

    /// <summary>The application name Switchboard gives the pool named <paramref name="tag"/> by default.</summary>
    public static string ApplicationName(string tag) => "Switchboard:" + tag;
}
