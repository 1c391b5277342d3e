using System.Data;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Switchboard.Diagnostics;
using Switchboard.Dialects;
using Switchboard.Pooling;
using Switchboard.Routing;
using Switchboard.Routing.Replicas;

namespace Switchboard;

/// <summary>
/// A named connection: run raw SQL on it, open transactions on it, read its pool's
/// statistics. Each call borrows a physical connection from the pool, or uses the open transaction of this async flow.
/// </summary>
public sealed partial class Connection
{
    private readonly ConnectionConfig _config;
    private readonly ILogger? _echoLogger;
    private readonly TimeSpan _commandTimeout;

    // The connection that replaced this one (Configure with replace: true): new statements through this object go there.
    private Connection? _successor;

    internal Connection(ConnectionRegistry registry, string name, ConnectionConfig config, DatabaseDriver driver, ILogger poolLogger, ILogger? echoLogger)
    {
        Registry = registry;
        Name = name;
        _config = config;
        DatabaseDriver = driver;
        _poolLogger = poolLogger;
        _echoLogger = echoLogger;
        Echo = config.Echo;
        _commandTimeout = config.CommandTimeout;
    }

    /// <summary>The connection's name.</summary>
    public string Name { get; }

    /// <summary>The registry it is configured in.</summary>
    public ConnectionRegistry Registry { get; }

    /// <summary>The driver's name (<c>sqlite</c>, <c>postgresql</c>, ...).</summary>
    public string Driver => DatabaseDriver.Name;

    /// <summary>The engine's SQL dialect.</summary>
    public SqlDialect Dialect => DatabaseDriver.Dialect;

    /// <summary>A copy of the configuration it was configured with (its <see cref="ConnectionConfig.ToString"/> hides the password).</summary>
    public ConnectionConfig Config => _config.Clone();

    /// <summary>The pool's counters now.</summary>
    public PoolStatistics Statistics => PoolIfOpen?.Statistics ?? new PoolStatistics(0, 0, 0, 0, 0, 0, 0, _config.PoolSize);

    internal DatabaseDriver DatabaseDriver { get; }

    internal Records.MappingCache Mappings => Volatile.Read(ref _mappings) ?? CreateMappings();

    /// <summary>This connection, or the newest one that replaced it under its name.</summary>
    internal Connection Current
    {
        get
        {
            var current = this;
            while (Volatile.Read(ref current._successor) is { } next)
            {
                current = next;
            }

            return current;
        }
    }

    internal bool Echo { get; }

    /// <summary>The database name, for traces.</summary>
    internal string? DatabaseName => _config.Database;

    /// <summary>How this connection names declared tables and columns.</summary>
    internal NamingConvention Naming => _config.Naming;

    /// <summary>Runs a statement and returns its rows, the rows it changed and any generated key.</summary>
    /// <param name="sql">The statement; write parameters as <c>@name</c>.</param>
    /// <param name="parameters">An anonymous object (<c>new { s = "active" }</c>) or a dictionary of parameter values.</param>
    /// <exception cref="ConnectionException">No connection could be had or it was lost.</exception>
    /// <exception cref="SwitchboardException">The statement failed; the driver's exception is the inner exception.</exception>
    public QueryResult ExecuteRaw(string sql, object? parameters = null) =>
        ExecuteRawAsync(sql, parameters, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="ExecuteRaw(string, object?)"/>
    public Task<QueryResult> ExecuteRawAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        ExecuteRawAsync(sql, parameters, async: true, cancellationToken).AsTask();

    /// <summary>Runs a statement and returns the number of rows it changed.</summary>
    /// <inheritdoc cref="ExecuteRaw(string, object?)"/>
    public int Execute(string sql, object? parameters = null) =>
        Tracked().RunAsync(sql, CommandParameters.From(parameters), ExecuteNonQuery, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Execute(string, object?)"/>
    public Task<int> ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        Tracked().RunAsync(sql, CommandParameters.From(parameters), ExecuteNonQuery, async: true, cancellationToken).AsTask();

    /// <summary>Runs a query and returns the first column of the first row converted to <typeparamref name="T"/>, or default when there is no row or it is NULL.</summary>
    /// <inheritdoc cref="ExecuteRaw(string, object?)"/>
    public T? Scalar<T>(string sql, object? parameters = null) =>
        ValueConverter.To<T>(Tracked().RunAsync(sql, CommandParameters.From(parameters), ExecuteScalar, async: false, CancellationToken.None).GetAwaiter().GetResult());

    /// <inheritdoc cref="Scalar{T}(string, object?)"/>
    public Task<T?> ScalarAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        ConvertScalarAsync<T>(Tracked().RunAsync(sql, CommandParameters.From(parameters), ExecuteScalar, async: true, cancellationToken));

    private static async Task<T?> ConvertScalarAsync<T>(ValueTask<object?> value) => ValueConverter.To<T>(await value.ConfigureAwait(false));

    /// <summary>Begins a transaction on this connection; see <see cref="Switchboard.Transaction"/>.</summary>
    /// <param name="isolationLevel">The isolation level, or null for the engine's default.</param>
    public Transaction BeginTransaction(IsolationLevel? isolationLevel = null) => new(this, isolationLevel);

    /// <summary>Runs <paramref name="action"/> in a transaction: it commits when the action returns and rolls back when it throws. Nested, it is a savepoint.</summary>
    /// <remarks>With <c>retry</c> configured, an outermost transaction that lost a deadlock or a serialization conflict runs again from the start.</remarks>
    /// <param name="action">The work.</param>
    /// <param name="isolationLevel">The isolation level, or null for the engine's default.</param>
    public void Transaction(Action action, IsolationLevel? isolationLevel = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        RunInTransactionAsync(_ => { action(); return new ValueTask<bool>(true); }, isolationLevel, async: false, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Runs <paramref name="action"/> in a transaction and returns its result: it commits when the action returns and rolls back when it throws.</summary>
    /// <remarks>With <c>retry</c> configured, an outermost transaction that lost a deadlock or a serialization conflict runs again from the start.</remarks>
    /// <param name="action">The work.</param>
    /// <param name="isolationLevel">The isolation level, or null for the engine's default.</param>
    public T Transaction<T>(Func<T> action, IsolationLevel? isolationLevel = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        return RunInTransactionAsync(_ => new ValueTask<T>(action()), isolationLevel, async: false, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Runs <paramref name="action"/> in a transaction: it commits when the task completes and rolls back when it throws.</summary>
    /// <remarks>With <c>retry</c> configured, an outermost transaction that lost a deadlock or a serialization conflict runs again from the start.</remarks>
    /// <param name="action">The work.</param>
    /// <param name="isolationLevel">The isolation level, or null for the engine's default.</param>
    /// <param name="cancellationToken">Cancels the commit, and any wait before a retry.</param>
    public Task TransactionAsync(Func<Task> action, IsolationLevel? isolationLevel = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        return RunInTransactionAsync(async _ => { await action().ConfigureAwait(false); return true; }, isolationLevel, async: true, cancellationToken).AsTask();
    }

    /// <summary>Runs <paramref name="action"/> in a transaction and returns its result: it commits when the task completes and rolls back when it throws.</summary>
    /// <remarks>With <c>retry</c> configured, an outermost transaction that lost a deadlock or a serialization conflict runs again from the start.</remarks>
    /// <param name="action">The work.</param>
    /// <param name="isolationLevel">The isolation level, or null for the engine's default.</param>
    /// <param name="cancellationToken">Cancels the commit, and any wait before a retry.</param>
    public Task<T> TransactionAsync<T>(Func<Task<T>> action, IsolationLevel? isolationLevel = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        return RunInTransactionAsync(async _ => await action().ConfigureAwait(false), isolationLevel, async: true, cancellationToken).AsTask();
    }

    /// <summary>The name and target, without secrets.</summary>
    public override string ToString() => $"{Name} ({Pool.Target})";

    /// <summary>Borrows a physical connection: the one of this flow's open transaction on this connection, or one from the pool.</summary>
    /// <remarks>Not an async method: a checkout the pool completes at once (an idle connection) costs no state machine.</remarks>
    internal ValueTask<ConnectionLease> LeaseAsync(bool async, CancellationToken cancellationToken)
    {
        if (AmbientContext.Current?.FindTransaction(this) is { } transaction)
        {
            return InTransaction(transaction, async, cancellationToken);
        }

        var pooled = AcquireAsync(async, cancellationToken);
        return pooled.IsCompletedSuccessfully ? new(new ConnectionLease(pooled.Result, null)) : Awaited(pooled);

        static async ValueTask<ConnectionLease> InTransaction(Transaction transaction, bool async, CancellationToken cancellationToken) =>
            new(await transaction.BeginOperationAsync(async, cancellationToken).ConfigureAwait(false), transaction);

        static async ValueTask<ConnectionLease> Awaited(ValueTask<PooledConnection> pooled) =>
            new(await pooled.ConfigureAwait(false), null);
    }

    /// <summary>Sends this object's new statements to <paramref name="successor"/>; work in open transactions stays where it is.</summary>
    internal void HandOver(Connection successor) => Volatile.Write(ref _successor, successor);

    internal static DbCommand CreateCommand(in ConnectionLease lease, string sql)
    {
        var command = lease.Connection.Pool.Source.CreateCommand(lease.Connection.Db);
        command.CommandText = sql;
        command.Transaction = lease.DbTransaction;
        command.CommandTimeout = lease.Connection.Pool.CommandTimeoutSeconds;
        return command;
    }

    /// <summary>Borrows a connection, builds the command, runs <paramref name="body"/> with echo and error translation, and gives the connection back.</summary>
    /// <remarks>The command comes from the physical connection's cache, so a statement used again is prepared once.</remarks>
    internal async ValueTask<T> RunAsync<T>(string sql, CommandParameters parameters, Func<DbCommand, ConnectionLease, bool, CancellationToken, ValueTask<T>> body, bool async, CancellationToken cancellationToken, StatementAccess access = StatementAccess.Classify)
    {
        ArgumentNullException.ThrowIfNull(sql);
        if (Volatile.Read(ref _successor) is not null && AmbientContext.Current?.FindTransaction(this) is null)
        {
            // Replaced: the statement runs with the replacement's configuration, on its pool.
            return await Current.RunAsync(sql, parameters, body, async, cancellationToken, access).ConfigureAwait(false);
        }

        if (parameters.Source is not null && parameters.Plan is null && parameters.SingleName is null)
        {
            // A collection given as one raw-SQL parameter becomes one parameter per value (IN @ids). Not by ref: a ref
            // into this method's state keeps the JIT from stack-allocating on the find-by-key path (measured: 48 B more).
            (sql, parameters) = Switchboard.Querying.ListParameters.Expand(sql, parameters, Dialect);
        }

        // Routing: only connections with replicas, or flows inside UsingReplicas, pay for a decision.
        var set = _replicaSet;
        var route = set is null && !RoutingFlow.MayRefuseWrites ? default : ReplicaRouter.Decide(this, set, sql, access);
        for (var attempt = 0; ; attempt++)
        {
            ConnectionLease lease;
            if (route.Replica is null)
            {
                lease = await LeaseAsync(async, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var leased = await LeaseReplicaAsync(route, async, cancellationToken).ConfigureAwait(false);
                if (leased.Retry is { } next)
                {
                    route = next;
                    continue;
                }

                lease = leased.Lease;
            }

            try
            {
                var command = lease.Connection.Commands.Get(sql);
                command.Transaction = lease.DbTransaction;
                command.CommandTimeout = lease.Connection.Pool.CommandTimeoutSeconds;
                ParameterBinder.Bind(command, Dialect, parameters);
                T result;
                try
                {
                    result = await RunCommandAsync(command, lease, body, async, cancellationToken).ConfigureAwait(false);
                }
                catch (SwitchboardException stale) when (!lease.InTransaction && stale.InnerException is { } inner && DatabaseDriver.IsStalePreparedStatement(inner))
                {
                    // The schema changed under a prepared statement, which the driver has now dropped; a failed statement
                    // outside a transaction changed nothing, so running it once more (prepared afresh) is safe.
                    result = await RunCommandAsync(command, lease, body, async, cancellationToken).ConfigureAwait(false);
                }

                if (route.RecordWrite)
                {
                    await RecordWriteAsync(lease, async).ConfigureAwait(false);
                }

                return result;
            }
            catch (ConnectionException lost) when (route.Replica is { } replica && attempt == 0 && lost is not PoolTimeoutException)
            {
                // A read on a replica that lost its connection: the replica leaves rotation and the read is tried once elsewhere.
                set!.MarkDown(replica, lost);
                route = ReplicaRouter.Reroute(this, set, replica, route.Required);
            }
            catch (SwitchboardException uncertain) when (route.RecordWrite && uncertain is ConnectionException or CommandTimeoutException)
            {
                // Whether the write took effect is unknown: this flow's reads must not go where it may be missing.
                RecordWrite(new Routing.Replicas.CausalMark(null, set!.Time.GetUtcNow(), PositionUnknown: true));
                throw;
            }
            finally
            {
                lease.Release();
            }
        }
    }

    /// <summary>Runs a command built on a lease, with echo, and turns driver exceptions into Switchboard's.</summary>
    /// <remarks>
    /// The statement, rows included, is bounded by Switchboard's own <c>command_timeout</c> (see <see cref="StatementDeadline"/>):
    /// cancelled through the driver at the deadline, its connection closed if the cancel has not ended it within the grace.
    /// An async caller waits for the driver only while the connection is not given up.
    /// </remarks>
    internal async ValueTask<T> RunCommandAsync<T>(DbCommand command, ConnectionLease lease, Func<DbCommand, ConnectionLease, bool, CancellationToken, ValueTask<T>> body, bool async, CancellationToken cancellationToken)
    {
        var started = Echo ? Stopwatch.GetTimestamp() : 0;
        using var activity = StatementTracing.Start(this, command);
        var physical = lease.Connection;
        var deadline = _commandTimeout > TimeSpan.Zero ? physical.Deadline : null;
        physical.BeginStatement(command);
        deadline?.Arm(command, _commandTimeout);
        try
        {
            var pending = body(command, lease, async, cancellationToken);
            T result;
            if (deadline is null || pending.IsCompleted)
            {
                result = await pending.ConfigureAwait(false);
            }
            else
            {
                var work = pending.AsTask();
                if (!await deadline.WaitAsync(work).ConfigureAwait(false))
                {
                    // Given up: the driver still holds the call; its outcome is observed and dropped whenever it comes.
                    _ = work.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    throw new DeadlinePassedException();
                }

                result = await work.ConfigureAwait(false);
            }

            if (deadline?.Disarm() == true)
            {
                // It finished after the cancel went out, so the result may be the cancel's doing (MySQL's SLEEP() returns 1
                // when interrupted): never reported as the statement's success. The connection is not pooled again.
                throw new DeadlinePassedException();
            }

            if (Echo)
            {
                EchoStatement(command, started, failed: false);
            }

            return result;
        }
        catch (Exception exception) when (exception is not SwitchboardException)
        {
            deadline?.Disarm();
            if (Echo)
            {
                EchoStatement(command, started, failed: true);
            }

            StatementTracing.Failed(activity, exception);
            var failure = Translate(exception, lease, command.CommandText, cancellationToken, command);
            lease.Failed(exception, failure);
            throw failure;
        }
        finally
        {
            physical.EndStatement();
        }
    }

    internal static async ValueTask<int> ExecuteNonQuery(DbCommand command, ConnectionLease lease, bool async, CancellationToken cancellationToken) =>
        async ? await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteNonQuery();

    internal static async ValueTask<object?> ExecuteScalar(DbCommand command, ConnectionLease lease, bool async, CancellationToken cancellationToken) =>
        async ? await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteScalar();
}
