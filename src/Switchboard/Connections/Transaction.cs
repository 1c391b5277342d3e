using System.Data;
using Switchboard.Dialects;
using Switchboard.Pooling;
using Switchboard.Routing;

namespace Switchboard;

/// <summary>
/// A transaction on a named connection. While it is open, every operation on that connection in this async flow —
/// raw SQL and models alike — runs inside it. Commit it; disposing it without a commit rolls it back.
/// A transaction opened while another is open on the same connection is a savepoint inside it.
/// </summary>
/// <remarks>
/// Nothing is sent to the server until the first statement, so an unused transaction costs no connection.
/// Run one statement at a time inside a transaction: await each before starting the next.
/// After a statement fails inside it, the transaction goes on only where the engine undid just that statement
/// (<see cref="DatabaseDriver.EffectOnTransaction"/>); otherwise it runs nothing more and its commit throws.
/// Complete it in the flow that began it (or that ran statements through it): completing it anywhere else rolls it back and throws.
/// </remarks>
public sealed partial class Transaction : IDisposable, IAsyncDisposable
{
    private readonly Transaction? _parent;
    private readonly Transaction _root;
    private readonly int _depth;
    private PooledConnection? _physical;
    private int _lease;
    private bool _started;
    private int _busy;
    private TransactionState _state;

    // The failed statement's exception that aborted this level (its savepoint; at the root, the transaction), or null.
    private Exception? _abortedBy;

    // Root only: the server has rolled the whole transaction back, savepoints included; nothing of it can be sent again.
    private bool _endedByServer;

    /// <summary>Opens a transaction (or, nested, a savepoint) on <paramref name="connection"/> for this async flow.</summary>
    /// <param name="connection">The connection, from <c>ConnectionManager.GetConnection</c>.</param>
    /// <param name="isolationLevel">The isolation level, or null for the engine's default; only on the outermost transaction.</param>
    /// <exception cref="TransactionException">The engine lacks the isolation level, or it was given to a nested transaction.</exception>
    public Transaction(Connection connection, IsolationLevel? isolationLevel = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        _parent = AmbientContext.Current?.FindTransaction(connection);
        if (isolationLevel is { } level)
        {
            if (_parent is not null && _parent.IsolationLevel != level)
            {
                throw new TransactionException(
                    $"A nested transaction on '{connection.Name}' runs at its outer transaction's isolation level; set the level on the outermost transaction only.",
                    connection.Name);
            }

            if (!connection.Dialect.SupportsIsolationLevel(level))
            {
                var supported = Enum.GetValues<IsolationLevel>().Where(connection.Dialect.SupportsIsolationLevel);
                throw new TransactionException(
                    $"The {connection.Driver} engine of '{connection.Name}' has no {level} isolation level. Use one of: {string.Join(", ", supported)}.",
                    connection.Name);
            }
        }

        IsolationLevel = _parent?.IsolationLevel ?? isolationLevel;
        _root = _parent?._root ?? this;
        _depth = _parent is null ? 0 : _parent._depth + 1;
        AmbientContext.PushTransaction(this);
    }

    private enum TransactionState
    {
        Open,
        Committed,
        RolledBack,
    }

    /// <summary>The connection the transaction runs on.</summary>
    public Connection Connection { get; }

    /// <summary>The isolation level, or null for the engine's default.</summary>
    public IsolationLevel? IsolationLevel { get; }

    /// <summary>Whether this is a savepoint inside an outer transaction.</summary>
    public bool IsNested => _parent is not null;

    /// <summary>Whether it can still be used: not committed or rolled back, and its outer transactions neither.</summary>
    public bool IsOpen => _state == TransactionState.Open && (_parent is null || _parent.IsOpen);

    private string SavepointName => "sb_savepoint_" + _depth;

    /// <summary>Commits (nested: releases the savepoint).</summary>
    /// <exception cref="TransactionException">It was already completed, or the commit failed.</exception>
    public void Commit() => CompleteAsync(commit: true, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Commit"/>
    public Task CommitAsync(CancellationToken cancellationToken = default) => CompleteAsync(commit: true, async: true, cancellationToken).AsTask();

    /// <summary>Rolls back (nested: to the savepoint, leaving the outer transaction open).</summary>
    /// <exception cref="TransactionException">It was already completed.</exception>
    public void Rollback() => CompleteAsync(commit: false, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Rollback"/>
    public Task RollbackAsync(CancellationToken cancellationToken = default) => CompleteAsync(commit: false, async: true, cancellationToken).AsTask();

    /// <summary>Rolls back if it was neither committed nor rolled back, and ends it in this flow.</summary>
    /// <exception cref="TransactionException">It was still open and is not the ambient transaction of this flow (it has been rolled back).</exception>
    public void Dispose()
    {
        var elsewhere = IsOpen && !AmbientContext.Holds(this);
        try
        {
            if (IsOpen)
            {
                CompleteAsync(commit: false, async: false, CancellationToken.None).GetAwaiter().GetResult();
            }
        }
        catch (SwitchboardException) when (!IsNested && !elsewhere)
        {
            // Dispose must not hide the exception that is unwinding the using block; the connection is already discarded.
        }
        finally
        {
            AbandonIfRoot();
            AmbientContext.PopTransaction(this);
        }
    }

    /// <inheritdoc cref="Dispose"/>
    public async ValueTask DisposeAsync()
    {
        var elsewhere = IsOpen && !AmbientContext.Holds(this);
        try
        {
            if (IsOpen)
            {
                await CompleteAsync(commit: false, async: true, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (SwitchboardException) when (!IsNested && !elsewhere)
        {
            // Dispose must not hide the exception that is unwinding the using block; the connection is already discarded.
        }
        finally
        {
            AbandonIfRoot();
            AmbientContext.PopTransaction(this);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{(IsNested ? "Savepoint" : "Transaction")} on '{Connection.Name}' ({_state})";

    /// <summary>Starts the transaction (and savepoint) if needed and returns its physical connection for one statement.</summary>
    internal async ValueTask<PooledConnection> BeginOperationAsync(bool async, CancellationToken cancellationToken)
    {
        ThrowIfCompleted();
        if (AbortedBy() is { } cause)
        {
            throw Aborted(cause, refused: true);
        }

        var physical = await EnsureStartedAsync(async, cancellationToken).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _root._busy, 1) == 1)
        {
            throw new TransactionException(
                $"Two statements ran at once inside the transaction on '{Connection.Name}'. A transaction has one connection: await each statement before starting the next.",
                Connection.Name);
        }

        return physical;
    }

    internal void EndOperation() => Volatile.Write(ref _root._busy, 0);

    private async ValueTask<PooledConnection> EnsureStartedAsync(bool async, CancellationToken cancellationToken)
    {
        ThrowIfCompleted();
        if (_parent is not null)
        {
            var physical = await _parent.EnsureStartedAsync(async, cancellationToken).ConfigureAwait(false);
            if (!_started)
            {
                await RunOnRootAsync(Connection.Dialect.SavepointSql(SavepointName), async, cancellationToken).ConfigureAwait(false);
                _started = true;
            }

            return physical;
        }

        if (_physical is not null)
        {
            return _physical;
        }

        var rented = await Connection.AcquireAsync(async, cancellationToken).ConfigureAwait(false);
        try
        {
            var level = IsolationLevel ?? System.Data.IsolationLevel.Unspecified;
            rented.AttachTransaction(await Connection.UnderDeadlineAsync(
                rented,
                async (isAsync, token) => isAsync ? await rented.Db.BeginTransactionAsync(level, token).ConfigureAwait(false) : rented.Db.BeginTransaction(level),
                completedStands: false,
                async,
                cancellationToken).ConfigureAwait(false));
        }
        catch (Exception exception)
        {
            // Classified as any statement is: a lost connection is discarded with the idle ones older than it, and says so.
            var failure = Connection.Translate(exception, new ConnectionLease(rented, null), "BEGIN", cancellationToken);
            Connection.Pool.Return(rented, rented.Lease);
            if (failure is ConnectionException or CommandTimeoutException or OperationCanceledException)
            {
                throw failure;
            }

            throw new TransactionException(
                $"Could not begin a transaction on '{Connection.Name}': {exception.Message}",
                Connection.Name,
                exception,
                failure is SwitchboardException { IsTransient: true });
        }

        _physical = rented;
        _lease = rented.Lease;
        _started = true;
        return rented;
    }

    /// <summary>Runs a savepoint statement on the root's connection, the way every statement runs (echo, tracing, errors).</summary>
    private async ValueTask RunOnRootAsync(string sql, bool async, CancellationToken cancellationToken)
    {
        var lease = new ConnectionLease(_root._physical!, _root);
        using var command = Switchboard.Connection.CreateCommand(lease, sql);
        await Connection.RunCommandAsync(command, lease, Connection.ExecuteNonQuery, async, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The root gives its connection back when it is disposed without having been completed (the pool rolls back).</summary>
    private void AbandonIfRoot()
    {
        if (_parent is null && _physical is not null)
        {
            _state = _state == TransactionState.Open ? TransactionState.RolledBack : _state;
            ReleasePhysical();
        }
    }

    private void ReleasePhysical()
    {
        if (_physical is { } physical)
        {
            _physical = null;
            Connection.Pool.Return(physical, _lease);
        }
    }

    private void ThrowIfCompleted()
    {
        if (_state != TransactionState.Open)
        {
            throw new TransactionException(
                $"The {(IsNested ? "savepoint" : "transaction")} on '{Connection.Name}' has already been {(_state == TransactionState.Committed ? "committed" : "rolled back")}; begin a new one.",
                Connection.Name);
        }

        if (_parent is not null && !_parent.IsOpen)
        {
            throw new TransactionException(
                $"The outer transaction on '{Connection.Name}' has already completed, so this savepoint can no longer be used; begin a new transaction.",
                Connection.Name);
        }
    }
}
