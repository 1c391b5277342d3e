using System.Data;
using System.Data.Common;
using Switchboard.Pooling;
using Switchboard.Resilience;
using Switchboard.Routing;
using Switchboard.Routing.Replicas;

namespace Switchboard;

// Retries (the retry key): which work goes through the connection's pipeline, and which never does.
public sealed partial class Connection
{
    private static readonly AsyncLocal<bool> s_insideRetriedRead = new();

    private RetryPipeline? _retry;
    private int _retryBuilt;

    /// <summary>Set inside a retried read, whose own checkout is retried as part of it.</summary>
    internal static bool InsideRetriedRead
    {
        get => s_insideRetriedRead.Value;
        set => s_insideRetriedRead.Value = value;
    }

    /// <summary>The connection's retry pipeline, built at first use; null when it retries nothing.</summary>
    internal RetryPipeline? Retry
    {
        get
        {
            if (_config.Retry is null)
            {
                return null;
            }

            if (Volatile.Read(ref _retryBuilt) == 0)
            {
                Interlocked.CompareExchange(ref _retry, RetryPipeline.Create(this, _config.Retry), null);
                Volatile.Write(ref _retryBuilt, 1);
            }

            return _retry;
        }
    }

    /// <summary>Takes a connection from the pool, again after a transient failure to connect (nothing was sent yet, so even a write's checkout is safe to retry).</summary>
    internal ValueTask<PooledConnection> AcquireAsync(bool async, CancellationToken cancellationToken) =>
        Retry is { } retry && !InsideRetriedRead
            ? retry.ExecuteAsync(RetryOperation.Acquire, Pool, static (pool, isAsync, token) => pool.RentAsync(isAsync, token), async, cancellationToken)
            : Pool.RentAsync(async, cancellationToken);

    /// <summary>
    /// Runs a read (a model query, a find, a reload) like <see cref="RunAsync"/>, and outside a transaction runs it again
    /// after a transient failure. Raw SQL never comes here: Switchboard does not guess whether a statement writes.
    /// </summary>
    internal ValueTask<T> RunReadAsync<T>(string sql, CommandParameters parameters, Func<DbCommand, ConnectionLease, bool, CancellationToken, ValueTask<T>> body, bool async, CancellationToken cancellationToken, StatementAccess access = StatementAccess.Read)
    {
        if (Retry is not { } retry || AmbientContext.Current?.FindTransaction(this) is not null)
        {
            return RunAsync(sql, parameters, body, async, cancellationToken, access);
        }

        return retry.ExecuteAsync(
            RetryOperation.Read,
            (Connection: this, Sql: sql, Parameters: parameters, Body: body, Access: access),
            static (s, isAsync, token) => s.Connection.RunAsync(s.Sql, s.Parameters, s.Body, isAsync, token, s.Access),
            async,
            cancellationToken);
    }

    /// <summary>
    /// A lambda transaction: begun, the action run, committed. The outermost one runs again from the start when it lost a
    /// deadlock or a serialization conflict (the server rolled it back, so nothing of it was saved); a nested one (a
    /// savepoint) never retries on its own, its failure reaches the outermost.
    /// </summary>
    private ValueTask<T> RunInTransactionAsync<T>(Func<bool, ValueTask<T>> action, IsolationLevel? isolationLevel, bool async, CancellationToken cancellationToken)
    {
        if (Retry is not { } retry || AmbientContext.Current?.FindTransaction(this) is not null)
        {
            return RunInTransactionOnceAsync(action, isolationLevel, async, cancellationToken);
        }

        return retry.ExecuteAsync(
            RetryOperation.Transaction,
            (Connection: this, Action: action, Level: isolationLevel),
            static (s, isAsync, token) => s.Connection.RunInTransactionOnceAsync(s.Action, s.Level, isAsync, token),
            async,
            cancellationToken);
    }

    private async ValueTask<T> RunInTransactionOnceAsync<T>(Func<bool, ValueTask<T>> action, IsolationLevel? isolationLevel, bool async, CancellationToken cancellationToken)
    {
        var transaction = new Transaction(this, isolationLevel);
        if (!async)
        {
            using (transaction)
            {
                var result = action(false).GetAwaiter().GetResult();
                transaction.Commit();
                return result;
            }
        }

        await using (transaction.ConfigureAwait(false))
        {
            var result = await action(true).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
    }
}
