using Switchboard.Routing;

namespace Switchboard;

/// <summary>Commit and rollback: refused where the transaction is not ambient, turned into a reported rollback after a failure, classified when they fail.</summary>
public sealed partial class Transaction
{
    private async ValueTask CompleteAsync(bool commit, bool async, CancellationToken cancellationToken)
    {
        ThrowIfCompleted();
        if (!AmbientContext.Holds(this))
        {
            // Statements of this flow did not run inside it: never let its completion look like it covered them.
            await EndAsync(commit: false, async, cancellationToken).ConfigureAwait(false);
            throw NotAmbient(commit);
        }

        if (commit && AbortedBy() is { } cause)
        {
            // The server threw the work away (or will): roll back, and say so instead of reporting a commit.
            if (_parent is not null)
            {
                _parent._abortedBy ??= cause;
            }

            await EndAsync(commit: false, async, cancellationToken).ConfigureAwait(false);
            throw Aborted(cause, refused: false);
        }

        await EndAsync(commit, async, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask EndAsync(bool commit, bool async, CancellationToken cancellationToken)
    {
        _state = commit ? TransactionState.Committed : TransactionState.RolledBack;
        if (!_started)
        {
            return;
        }

        if (_parent is not null)
        {
            if (_root._endedByServer || (!commit && _parent.AbortedBy() is not null))
            {
                // The savepoint went with the whole transaction, or the outer one can only roll back: nothing to send.
                return;
            }

            if (commit)
            {
                if (Connection.Dialect.ReleaseSavepointSql(SavepointName) is { } release)
                {
                    await RunOnRootAsync(release, async, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                await RunOnRootAsync(Connection.Dialect.RollbackToSavepointSql(SavepointName), async, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        await EndRootAsync(commit, async, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask EndRootAsync(bool commit, bool async, CancellationToken cancellationToken)
    {
        var physical = _physical!;
        var transaction = physical.Transaction!;
        try
        {
            // Under command_timeout like any statement; a commit the server acknowledged stands even if the deadline fired meanwhile.
            await Connection.UnderDeadlineAsync(
                physical,
                async (isAsync, token) =>
                {
                    if (commit)
                    {
                        if (isAsync)
                        {
                            await transaction.CommitAsync(token).ConfigureAwait(false);
                        }
                        else
                        {
                            transaction.Commit();
                        }
                    }
                    else if (isAsync)
                    {
                        await transaction.RollbackAsync(token).ConfigureAwait(false);
                    }
                    else
                    {
                        transaction.Rollback();
                    }

                    return true;
                },
                completedStands: true,
                async,
                cancellationToken).ConfigureAwait(false);

            if (commit)
            {
                // Read-your-writes: where the primary stands now that this transaction's writes are committed (never fails the commit).
                physical.DetachTransaction();
                await Connection.AfterCommitAsync(physical, async).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            // Classified as any statement is (a lost connection is discarded with older idle ones); whatever it was,
            // the server's view of this transaction is unknown now, so the connection is never pooled again.
            var failure = Connection.Translate(exception, new ConnectionLease(physical, this), commit ? "COMMIT" : "ROLLBACK", cancellationToken);
            physical.Break();
            if (!commit && _abortedBy is not null)
            {
                // Already rolled back by the server, or doomed to be: nothing of it was saved either way.
                return;
            }

            // A commit cut off by a lost connection or by command_timeout may have been applied: its outcome is unknown.
            var lost = failure is ConnectionException or CommandTimeoutException;
            throw new TransactionException(
                $"{(commit ? "Committing" : "Rolling back")} the transaction on '{Connection.Name}' failed: {(failure is CommandTimeoutException ? failure.Message : exception.Message)}"
                + (commit && failure is CommandTimeoutException ? " Whether its changes were saved is unknown; check before retrying."
                    : commit && lost ? " The connection was lost during the commit, so whether its changes were saved is unknown; check before retrying."
                    : commit ? " Its changes may not have been saved; check before retrying." : ""),
                Connection.Name,
                failure is CommandTimeoutException ? failure : exception,
                failure is SwitchboardException { IsTransient: true } && !(commit && lost));
        }
        finally
        {
            physical.DetachTransaction();
            transaction.Dispose();
            ReleasePhysical();
        }
    }
}
