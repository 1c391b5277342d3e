using System.Globalization;

namespace Switchboard.Soak;

/// <summary>What the soak needs of one engine: how the server lists the pool's sessions and how to end one.</summary>
internal abstract class SoakEngine
{
    /// <summary>The name scripts/lib/servers.sh knows the server by.</summary>
    public abstract string Server { get; }

    public abstract string Driver { get; }

    public static SoakEngine For(string engine) => engine == "mariadb" ? new MariaDb() : new PostgreSql();

    /// <summary>Run on the monitor before the pool connects: whatever makes its sessions recognisable.</summary>
    public virtual Task PrepareAsync(Connection monitor, string tag, ConnectionConfig server) => Task.CompletedTask;

    public virtual void ConfigurePool(ConnectionConfig config, string tag)
    {
    }

    /// <summary>The pool's sessions as the server lists them now, each with whether the server already marks it as ending.</summary>
    public abstract Task<IReadOnlyList<(long Id, bool Ending)>> SessionsAsync(Connection monitor, string tag, CancellationToken cancellationToken);

    public abstract string KillSql(long id);

    /// <summary>PostgreSQL: the pool's sessions carry its application_name; a terminated backend is listed until reaped.</summary>
    private sealed class PostgreSql : SoakEngine
    {
        public override string Server => "postgres";

        public override string Driver => "postgresql";

        public override async Task<IReadOnlyList<(long Id, bool Ending)>> SessionsAsync(Connection monitor, string tag, CancellationToken cancellationToken)
        {
            var result = await monitor.ExecuteRawAsync("SELECT pid FROM pg_stat_activity WHERE application_name = @app", new { app = "Switchboard:" + tag }, cancellationToken);
            return [.. result.Rows.Select(r => (Convert.ToInt64(r["pid"], CultureInfo.InvariantCulture), false))];
        }

        public override string KillSql(long id) => $"SELECT pg_terminate_backend({id})";
    }

    /// <summary>MariaDB: the pool logs in as a user of its own; a killed session shows the command <c>Killed</c> until reaped.</summary>
    private sealed class MariaDb : SoakEngine
    {
        public override string Server => "mariadb";

        public override string Driver => "mariadb";

        public override async Task PrepareAsync(Connection monitor, string tag, ConnectionConfig server)
        {
            await monitor.ExecuteAsync($"CREATE USER '{tag}'@'%' IDENTIFIED BY @password", new { password = server.Password ?? "" });
            await monitor.ExecuteAsync($"GRANT ALL PRIVILEGES ON `{server.Database}`.* TO '{tag}'@'%'");
        }

        public override void ConfigurePool(ConnectionConfig config, string tag) => config.Username = tag;

        public override async Task<IReadOnlyList<(long Id, bool Ending)>> SessionsAsync(Connection monitor, string tag, CancellationToken cancellationToken)
        {
            var result = await monitor.ExecuteRawAsync("SELECT ID, COMMAND FROM information_schema.processlist WHERE USER = @user", new { user = tag }, cancellationToken);
            return [.. result.Rows.Select(r => (Convert.ToInt64(r["ID"], CultureInfo.InvariantCulture), string.Equals(r["COMMAND"] as string, "Killed", StringComparison.OrdinalIgnoreCase)))];
        }

        public override string KillSql(long id) => $"KILL CONNECTION {id}";
    }
}
