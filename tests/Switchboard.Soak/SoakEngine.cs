using System.Globalization;

namespace Switchboard.Soak;

/// <summary>What the soak needs of one engine: how the server lists the pool's sessions and how to end one.</summary>
internal abstract class SoakEngine
{
    /// <summary>The name scripts/lib/servers.sh knows the server by.</summary>
    public abstract string Server { get; }

    public abstract string Driver { get; }

    /// <summary>The servers to start, in order (scripts/lib/servers.sh and pgbouncer.sh names); the first is the one restarted.</summary>
    public virtual IReadOnlyList<string> Servers => [Server];

    /// <summary>The variable holding the URL the pool connects to (the monitor always connects to the server itself).</summary>
    public virtual string PoolUrlVariable => Server == "postgres" ? "SWITCHBOARD_TEST_POSTGRES" : "SWITCHBOARD_TEST_MYSQL";

    /// <summary>Whether the server's sessions are the pool's own, so that their count is bounded by the pool size.</summary>
    public virtual bool SessionsArePoolConnections => true;

    public static SoakEngine For(string engine) => engine switch
    {
        "mariadb" => new MariaDb(),
        "pgbouncer" => new PgBouncer(),
        _ => new PostgreSql(),
    };

    /// <summary>Run on the monitor before the pool connects: whatever makes its sessions recognisable.</summary>
    public virtual Task PrepareAsync(Connection monitor, string tag, ConnectionConfig server) => Task.CompletedTask;

    public virtual void ConfigurePool(ConnectionConfig config, string tag)
    {
    }

    /// <summary>The pool's sessions as the server lists them now, each with whether the server already marks it as ending.</summary>
    public abstract Task<IReadOnlyList<(long Id, bool Ending)>> SessionsAsync(Connection monitor, string tag, CancellationToken cancellationToken);

    public abstract string KillSql(long id);

    /// <summary>PostgreSQL: the pool's sessions carry its application_name; a terminated backend is listed until reaped.</summary>
    private class PostgreSql : SoakEngine
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

    /// <summary>
    /// PostgreSQL behind PgBouncer in transaction mode: the pool connects to PgBouncer with <c>pooler: pgbouncer</c>; the
    /// killer ends PgBouncer's server sessions (which carry the pool's application_name while and after they serve it).
    /// </summary>
    private sealed class PgBouncer : PostgreSql
    {
        public override IReadOnlyList<string> Servers => ["postgres", "pgbouncer"];

        public override string PoolUrlVariable => "SWITCHBOARD_TEST_PGBOUNCER";

        /// <summary>PgBouncer, not the pool, decides how many server sessions there are (its default_pool_size).</summary>
        public override bool SessionsArePoolConnections => false;

        public override void ConfigurePool(ConnectionConfig config, string tag) => config.Pooler = "pgbouncer";
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
