namespace Switchboard.IntegrationTests.ServerBehaviour;

/// <summary>
/// MariaDB: <c>information_schema.processlist</c> has no program name (MySqlConnector sends the application name as the
/// <c>program_name</c> connection attribute, which only <c>performance_schema.session_connect_attrs</c> shows, and
/// performance_schema is off), so each test's pool logs in as its own user, created for the test and dropped after:
/// the processlist's <c>USER</c> column then names exactly the pool's sessions, whatever database they use.
/// </summary>
public sealed class MariaDbServerEngine : ServerEngine
{
    public override string Variable => Switchboard.Tests.Support.TestServers.MySqlVariable;

    public override string Driver => "mariadb";

    public override string SessionIdSql => "SELECT CONNECTION_ID()";

    public override string SessionIdAfterSleepSql(double seconds) => $"SELECT CONNECTION_ID() + SLEEP({Seconds(seconds)})";

    public override string KillSql(long sessionId) => $"KILL CONNECTION {sessionId}";

    public override async Task PrepareAsync(Connection monitor, string tag, ConnectionConfig server)
    {
        // The tag is [a-z0-9_]; the password goes as a parameter (MySqlConnector writes it as a quoted literal).
        await monitor.ExecuteAsync($"CREATE USER '{tag}'@'%' IDENTIFIED BY @password", new { password = server.Password ?? "" });
        await monitor.ExecuteAsync($"GRANT ALL PRIVILEGES ON `{server.Database}`.* TO '{tag}'@'%'");
    }

    public override async Task CleanUpAsync(Connection monitor, string tag) => await monitor.ExecuteAsync($"DROP USER IF EXISTS '{tag}'@'%'");

    public override void ConfigurePool(ConnectionConfig config, string tag)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Username = tag;
    }

    public override Task<IReadOnlyList<long>> SessionsAsync(Connection monitor, string tag, CancellationToken cancellationToken) =>
        IdsAsync(monitor, "SELECT ID FROM information_schema.processlist WHERE USER = @user ORDER BY ID", new { user = tag }, cancellationToken);
}
