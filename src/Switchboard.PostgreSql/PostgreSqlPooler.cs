namespace Switchboard.PostgreSql;

/// <summary>
/// The <c>pooler</c> and <c>auto_prepare</c> keys: what a connection may assume of its server session when a pooler such
/// as PgBouncer, in transaction pooling, hands each transaction to whichever server connection is free.
/// </summary>
/// <remarks>
/// Behind such a pooler a server session outlives the client's use of it and serves other clients in between, so
/// nothing may be left on it: not a prepared statement (Npgsql names them <c>_auto0</c>, <c>_auto1</c>... per client
/// connection, so two clients' names collide and one client's Bind runs the other's statement), not a <c>SET</c>, and
/// not a startup parameter the pooler would have to replay (PgBouncer 1.18 refuses <c>search_path</c>).
/// </remarks>
internal static class PostgreSqlPooler
{
    public const string PgBouncer = "pgbouncer";

    /// <summary>The poolers the key accepts.</summary>
    public static readonly IReadOnlyList<string> Names = [PgBouncer];

    /// <summary>Whether the connection runs behind a transaction-pooling pooler.</summary>
    public static bool IsPooled(ConnectionConfig config) => config.Pooler is not null;

    /// <summary>Whether statements are prepared on the server: <c>auto_prepare</c>, or by default only without a pooler.</summary>
    public static bool AutoPrepares(ConnectionConfig config) => config.AutoPrepare ?? !IsPooled(config);

    public static void Check(ConnectionConfig config, ICollection<ConfigurationProblem> problems)
    {
        if (config.Pooler is not { } pooler)
        {
            return;
        }

        if (!Names.Contains(pooler.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            problems.Add(new(
                "pooler",
                $"pooler '{pooler}' is not a pooler Switchboard knows. Set pooler to {string.Join(" or ", Names)} "
                + "when the connection goes through PgBouncer in transaction or statement pooling mode, or remove the key."));
        }
        else if (!string.IsNullOrWhiteSpace(config.InitCommand))
        {
            problems.Add(new(
                "init_command",
                $"init_command cannot be used with pooler: {PgBouncer}. It would run once on each connection to "
                + "the pooler, but the pooler runs each transaction on whichever server session is free, so its settings would reach some "
                + "statements and not others, and stay behind for other clients. Remove init_command: put a setting in the transaction that "
                + "needs it (SET LOCAL), or on the database role (ALTER ROLE ... SET)."));
        }
    }
}
