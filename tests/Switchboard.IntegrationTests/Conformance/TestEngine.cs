using System.Data;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>
/// What the conformance suite and the Chinook facts need to know about one engine: where its server is, how to make
/// an isolated store (a schema, a database or a file) for one test class, the suite's tables in the engine's natural
/// types, and the few statements that differ between engines. Everything else is written once.
/// </summary>
public abstract class TestEngine : IDisposable
{
    /// <summary>The engine's name as the Chinook scripts spell it (<c>Chinook_PostgreSql.sql</c>).</summary>
    public abstract string Name { get; }

    /// <summary>The driver name configured (it may differ from the URL's scheme: MariaDB behind a mysql:// URL).</summary>
    public abstract string Driver { get; }

    /// <summary>Whether the engine is a server with sessions that can lock, deadlock and be killed.</summary>
    public virtual bool IsServer => true;

    /// <summary>The suite's tables, <c>gadgets</c> and <c>type_samples</c>, created in an empty store.</summary>
    public abstract IReadOnlyList<string> SuiteTables { get; }

    /// <summary>Whether <see cref="QueryResult.LastInsertId"/> reports the key of a raw INSERT.</summary>
    public virtual bool ReportsLastInsertId => true;

    /// <summary>Oracle stores an empty string or an empty RAW as NULL.</summary>
    public virtual bool EmptyIsNull => false;

    /// <summary>A query returning the running transaction's isolation level in words (<c>repeatable read</c>), or null where it cannot be read.</summary>
    public virtual string? CurrentIsolationSql => null;

    /// <summary>Whether <see cref="CurrentIsolationSql"/> only sees a transaction once it has written something.</summary>
    public virtual bool IsolationVisibleAfterWriteOnly => false;

    /// <summary>A statement, run inside a transaction, after which this session gives up waiting for a row lock within a second or so.</summary>
    public virtual string? ShortLockWaitSql => null;

    /// <summary>A query returning the server's id for this session.</summary>
    public virtual string? SessionIdSql => null;

    /// <summary>A query counting the sessions with id <c>@id</c> (in the engine's parameter style).</summary>
    public virtual string? SessionCountSql => null;

    /// <summary>The configuration of a connection to the engine's server as given; skips (or fails under CI) without one.</summary>
    public abstract ConnectionConfig Server();

    /// <summary>Registers what the registry cannot find by driver name alone (Oracle's provider factory).</summary>
    public virtual void Register(ConnectionRegistry registry)
    {
    }

    /// <summary>Creates an empty store named <paramref name="store"/> and returns the configuration of a connection to it.</summary>
    /// <param name="admin">A connection configured from <see cref="Server"/>.</param>
    /// <param name="store">A name unique to this run: lower case letters, digits and underscores.</param>
    public abstract Task<ConnectionConfig> CreateStoreAsync(Connection admin, string store);

    /// <summary>Drops a store made by <see cref="CreateStoreAsync"/>, once every connection to it is closed.</summary>
    public abstract Task DropStoreAsync(Connection admin, string store);

    /// <summary>A statement that ends the session <paramref name="sessionId"/> from another one.</summary>
    public virtual string? KillSql(long sessionId) => null;

    /// <summary>
    /// Why the test method <paramref name="testName"/> cannot run on this engine's fixture (a session feature the setup
    /// does not give, such as a pooler's), or null when it runs.
    /// </summary>
    public virtual string? SkipReason(string testName) => null;

    /// <summary>How <see cref="CurrentIsolationSql"/> names <paramref name="level"/>.</summary>
    public virtual string IsolationName(IsolationLevel level) => level switch
    {
        IsolationLevel.ReadUncommitted => "read uncommitted",
        IsolationLevel.ReadCommitted => "read committed",
        IsolationLevel.RepeatableRead => "repeatable read",
        IsolationLevel.Serializable => "serializable",
        IsolationLevel.Snapshot => "snapshot",
        _ => level.ToString().ToLowerInvariant(),
    };

    /// <summary>How the engine's Chinook script spells tables and columns (PostgreSQL's copy is snake_case), for raw SQL in tests: models find it themselves.</summary>
    public virtual NamingConvention ChinookNaming => NamingConvention.AsDeclared;

    /// <summary>Statements that load the engine's Chinook script into a store, in as few round trips as the driver allows.</summary>
    public virtual IEnumerable<string> ChinookStatements(string script) => [script];

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>Parses the server URL and sets the driver.</summary>
    protected ConnectionConfig FromUrl(string url)
    {
        var config = ConnectionConfig.Parse(url);
        config.Driver = Driver;
        return config;
    }
}
