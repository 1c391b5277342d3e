using System.Data.Common;

namespace Switchboard.Dialects;

/// <summary>
/// The provider SPI: one engine's driver. A provider package derives from this class, marks its assembly with
/// <see cref="SwitchboardDriverAttribute"/> so that the engine's name resolves to it, and keeps everything else internal.
/// </summary>
public abstract class DatabaseDriver
{
    /// <summary>The driver's name in configuration (<c>sqlite</c>, <c>postgresql</c>, ...), lower case.</summary>
    public abstract string Name { get; }

    /// <summary>Other names that select this driver (<c>postgres</c> for <c>postgresql</c>, ...).</summary>
    public virtual IReadOnlyCollection<string> Aliases => [];

    /// <summary>The engine's SQL dialect.</summary>
    public abstract SqlDialect Dialect { get; }

    /// <summary>The port used when the configuration names none; null for engines without a server.</summary>
    public virtual int? DefaultPort => null;

    /// <summary>Whether the engine runs as a server, so that <c>host</c>, <c>port</c>, <c>username</c> and <c>password</c> apply.</summary>
    public virtual bool IsServerEngine => true;

    /// <summary>Whether <c>database</c> must be configured; false for an engine that selects its target otherwise (Oracle's service name or SID).</summary>
    public virtual bool RequiresDatabase => true;

    /// <summary>
    /// The engine's own configuration keys, with their types and defaults. Declaring a key here is all it takes for the
    /// dictionary, URL and environment forms to accept it, and for other engines' configurations to refuse it.
    /// </summary>
    public virtual IReadOnlyList<EngineOption> Options => [];

    /// <summary>The engine-specific configuration keys (snake_case) this driver accepts beyond the common ones.</summary>
    /// <value>The keys of <see cref="Options"/>.</value>
    public virtual IReadOnlyCollection<string> EngineKeys => [.. Options.Select(o => o.Key)];

    /// <summary>
    /// Whether this engine's URL names a file after the scheme, in SQLAlchemy's form (<c>engine:///relative.db</c>,
    /// <c>engine:////absolute.db</c>, <c>engine:///:memory:</c>), rather than <c>user:password@host:port/database</c>.
    /// </summary>
    /// <value>False.</value>
    public virtual bool UrlNamesFile => false;

    /// <summary>Checks the engine-specific parts of a configuration; throws <see cref="ConfigurationException"/> naming the key and the fix.</summary>
    /// <param name="config">The configuration, already checked for the common keys.</param>
    /// <param name="connectionName">The connection's name, for messages.</param>
    /// <remarks>Kept for drivers written against it; a driver reports every problem at once by overriding <see cref="Check"/> instead.</remarks>
    public virtual void Validate(ConnectionConfig config, string connectionName)
    {
    }

    /// <summary>
    /// Adds every problem of the engine-specific parts of a configuration to <paramref name="problems"/>, each naming the
    /// key and the fix. It must not change <paramref name="config"/>: what the engine derives from it belongs in <see cref="Normalize"/>.
    /// </summary>
    /// <param name="config">The configuration; the common keys are checked separately.</param>
    /// <param name="connectionName">The connection's name.</param>
    /// <param name="problems">Where to add problems.</param>
    /// <remarks>By default, calls <see cref="Validate"/> and adds the problem it throws, if any.</remarks>
    public virtual void Check(ConnectionConfig config, string connectionName, ICollection<ConfigurationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        try
        {
            Validate(config, connectionName);
        }
        catch (ConfigurationException exception)
        {
            foreach (var problem in exception.Problems)
            {
                var prefix = $"Connection '{connectionName}': ";
                problems.Add(problem.Message.StartsWith(prefix, StringComparison.Ordinal) ? new ConfigurationProblem(problem.Key, problem.Message[prefix.Length..]) : problem);
            }
        }
    }

    /// <summary>
    /// The effective configuration of a valid one: what the engine derives from what was given (a relative file path made
    /// absolute, ...). Called once, when the connection is configured, on a private copy that it may change and return.
    /// </summary>
    /// <param name="config">A private copy of the validated configuration, its driver already this driver's <see cref="Name"/>.</param>
    /// <returns>The effective configuration; by default <paramref name="config"/> as it is.</returns>
    public virtual ConnectionConfig Normalize(ConnectionConfig config) => config;

    /// <summary>Creates the source of physical connections for one pool, with the driver's own pooling off.</summary>
    /// <param name="config">The validated configuration (a private copy).</param>
    /// <param name="connectionName">The connection's name.</param>
    public abstract DriverDataSource CreateDataSource(ConnectionConfig config, string connectionName);

    /// <summary>Whether a driver exception means that retrying the work may succeed (deadlock, lost connection, too many connections...).</summary>
    /// <remarks>
    /// By default, what the driver itself says (<see cref="DbException.IsTransient"/>) or a failed socket beneath it; a
    /// provider adds its engine's explicit error-code lists to this.
    /// </remarks>
    public virtual bool IsTransient(Exception exception) =>
        exception is DbException { IsTransient: true } || (exception is DbException && DriverErrors.HasNetworkCause(exception));

    /// <summary>
    /// What a failed statement's driver exception says: its <see cref="StatementErrorKind"/>, SQLSTATE, the engine's error
    /// number and the constraint's name, for <see cref="StatementException"/>. By default the kind is read from the
    /// standard SQLSTATE classes (<see cref="DriverErrors.KindOfSqlState"/>); a provider reads its engine's error numbers.
    /// </summary>
    /// <param name="exception">The driver's exception (or Switchboard's redacted copy of it, which keeps its SQLSTATE and data).</param>
    public virtual StatementErrorInfo DescribeError(DbException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return DriverErrors.Describe(exception);
    }

    /// <summary>Whether a driver exception means the physical connection is no longer usable and must be discarded.</summary>
    public virtual bool IsDisconnect(Exception exception) => false;

    /// <summary>
    /// What <paramref name="exception"/>, raised by a statement inside a transaction, did to that transaction on the
    /// server, so that a commit never reports success for work the server threw away. By default every error aborts the
    /// transaction, which is never wrong, only strict; an engine whose errors undo just the statement says so here.
    /// </summary>
    /// <param name="exception">The driver's exception (a lost connection and a cancelled statement are decided before this is asked).</param>
    /// <param name="connection">The physical connection it ran on, still open, for engines that can tell from its state.</param>
    public virtual TransactionFailureEffect EffectOnTransaction(DbException exception, DbConnection connection) => TransactionFailureEffect.TransactionAborted;

    /// <summary>
    /// For a driver exception the engine recognises, one or two sentences that name the cause and the setting to change
    /// (a proxy's refusal, a missing parameter...); null to leave the message to Switchboard's generic wording.
    /// </summary>
    /// <param name="exception">The driver's exception.</param>
    /// <param name="statement">The statement that failed, or null when opening a connection failed.</param>
    public virtual string? ExplainFailure(Exception exception, string? statement) => null;

    /// <summary>
    /// Whether a connection whose statement was cancelled outside a transaction is as good as before (SQLite, whose
    /// interrupt only stops the statement), so that the pool keeps it. By default it is discarded: a server connection
    /// may still be busy with the cancelled statement.
    /// </summary>
    public virtual bool ConnectionSurvivesCancellation => false;

    /// <summary>
    /// Whether <paramref name="exception"/> says that a statement prepared earlier no longer fits the schema (PostgreSQL's
    /// <c>cached plan must not change result type</c> after an ALTER TABLE) and that the driver has dropped it, so that
    /// running the same statement again succeeds. Outside a transaction it is then run again once. False by default.
    /// </summary>
    public virtual bool IsStalePreparedStatement(Exception exception) => false;

    /// <summary>The engine's lexical rules, so that raw SQL can be told read from write (comments and strings skipped correctly).</summary>
    public virtual SqlLexicon Lexicon => SqlLexicon.Standard;

    /// <summary>How the engine's replicas report their position and are made read-only; null when replicas are not supported.</summary>
    public virtual ReplicaProtocol? Replication => null;

    /// <summary>
    /// The catalog query that lists the columns of the tables a model may map to, read once per model and connection
    /// under <c>naming: auto</c> (and by <c>VerifyModels</c>); null when the engine has no catalog Switchboard can read,
    /// in which case <c>auto</c> uses names as declared. See <see cref="CatalogQuery"/> for the rows it must return.
    /// </summary>
    /// <param name="table">The table's declared name (the class name, or <c>[Table]</c>'s).</param>
    /// <param name="schema">The schema <c>[Table]</c> names, or null for the connection's own (its configured schema or database).</param>
    public virtual CatalogQuery? ColumnCatalog(string table, string? schema) => null;

    /// <summary>
    /// Whether <paramref name="exception"/> is the driver's own command timeout firing (its client-side timer, which
    /// races Switchboard's <c>command_timeout</c> deadline), as opposed to a lock or statement timeout the server reports.
    /// Such a failure is reported as a <see cref="CommandTimeoutException"/> and its connection discarded.
    /// </summary>
    /// <param name="exception">The exception the driver threw.</param>
    public virtual bool IsClientTimeout(Exception exception) => false;

    /// <summary>
    /// Creates the writer of the engine's bulk path, which a copy (<c>Query&lt;T&gt;.CopyTo</c>, <c>Connection.CopyTable</c>)
    /// writes its rows through inside one transaction. Engines without one refuse.
    /// </summary>
    /// <param name="target">The table, columns, open connection and transaction.</param>
    /// <exception cref="NotSupportedException">The engine has no bulk path in Switchboard.</exception>
    public virtual BulkWriter CreateBulkWriter(BulkWriteTarget target) =>
        throw new NotSupportedException($"The {Name} driver has no bulk write path, so rows cannot be copied to it. Copy to an engine whose driver has one.");

    /// <summary>Describes the target of a configuration for messages (engine, host, database), without secrets.</summary>
    public virtual string Describe(ConnectionConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return IsServerEngine
            ? $"{Name} at {config.Host ?? "localhost"}:{config.Port ?? DefaultPort}/{config.Database}"
            : $"{Name} database '{config.Database}'";
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
