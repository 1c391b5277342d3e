using Switchboard.Tests.Support;

namespace Switchboard.IntegrationTests.Conformance.Engines;

/// <summary>
/// PostgreSQL behind PgBouncer in transaction pooling mode (<c>SWITCHBOARD_TEST_PGBOUNCER</c>), configured with
/// <c>pooler: pgbouncer</c>: the same stores (a schema each) and statements, with every transaction free to run on any
/// of PgBouncer's server sessions. Tests that need one server session to last across transactions skip, each with why.
/// </summary>
public sealed class PgBouncerEngine : PostgreSqlEngine
{
    /// <summary>The tests that need what transaction pooling does not give, and the reason each gives when it skips.</summary>
    private static readonly Dictionary<string, string> SessionBound = new(StringComparer.Ordinal)
    {
        ["Begin_OnAKilledSession_DiscardsIt_AndTheNextTransactionsSucceed"] = KilledServerSession,
        ["KilledSession_IsALostConnection_AndTheNextStatementGetsANewOne"] = KilledServerSession,
        ["ConcurrentTransactions_OnAPoolOfFour_EachCommitOrRollBackTheirOwnWork_OnAtMostFourSessions"] = ServerSessionsPerTransaction,
        ["ThirtyTwoWorkers_OnAPoolOfFour_InsertAndReadWithoutLosingAnything_OnAtMostFourSessions"] = ServerSessionsPerTransaction,
        ["WrongPassword_NoExceptionTextOrLogCarriesThePassword"] =
            "PgBouncer refuses an unknown user with 'SASL authentication failed' and never repeats the user name, so the message holds no "
            + "redacted fragment ('***') to find. The wrong host and wrong database secrecy tests still run here.",
    };

    private const string KilledServerSession =
        "pg_backend_pid() names the server session PgBouncer lent to one transaction, not the client's connection; ending it "
        + "(pg_terminate_backend) leaves the client's connection to PgBouncer open, and the next transaction runs on another server session.";

    private const string ServerSessionsPerTransaction =
        "pool_size bounds the pool's connections to PgBouncer; each transaction may run on any of PgBouncer's server sessions, so the "
        + "server sees more distinct session ids than the pool's size (PgBouncer's own pool_size bounds those).";

    public override ConnectionConfig Server()
    {
        var config = FromUrl(TestServers.Require(TestServers.PgBouncerVariable));
        config.Pooler = "pgbouncer";
        return config;
    }

    public override string? SkipReason(string testName) =>
        SessionBound.TryGetValue(testName, out var reason) ? "Behind PgBouncer in transaction mode: " + reason : null;
}
