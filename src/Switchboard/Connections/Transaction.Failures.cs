using System.Data;
using System.Data.Common;
using Switchboard.Dialects;
using Switchboard.Pooling;

namespace Switchboard;

/// <summary>How a transaction learns that the server threw its work away, and what it says then.</summary>
public sealed partial class Transaction
{
    /// <summary>Records what a statement that failed inside this transaction did to it on the server (called for every failed statement).</summary>
    /// <param name="cause">The driver's exception, or the cancellation.</param>
    /// <param name="failure">The exception the caller sees, kept as the inner exception of what the transaction throws later.</param>
    /// <param name="physical">The connection it ran on.</param>
    internal void StatementFailed(Exception cause, Exception failure, PooledConnection physical)
    {
        var effect = cause is OperationCanceledException || failure is OperationCanceledException
            ? TransactionFailureEffect.TransactionAborted
            : physical.Disconnected || physical.Db.State != ConnectionState.Open
                ? TransactionFailureEffect.TransactionRolledBack
                : cause is DbException driverError
                    ? Connection.DatabaseDriver.EffectOnTransaction(driverError, physical.Db)
                    : TransactionFailureEffect.TransactionAborted;
        switch (effect)
        {
            case TransactionFailureEffect.StatementUndone:
                return;
            case TransactionFailureEffect.TransactionAborted:
                _abortedBy ??= failure;
                return;
            default:
                _root._abortedBy ??= failure;
                _root._endedByServer = true;
                return;
        }
    }

    /// <summary>The failure that aborted this level or an outer one, or null while the transaction is healthy.</summary>
    private Exception? AbortedBy()
    {
        for (var level = this; level is not null; level = level._parent)
        {
            if (level._abortedBy is { } cause)
            {
                return cause;
            }
        }

        return null;
    }

    /// <summary>The error for a statement refused, or a commit turned into a rollback, because a statement failed earlier.</summary>
    private TransactionException Aborted(Exception cause, bool refused)
    {
        var level = IsNested ? "savepoint" : "transaction";
        var message = refused
            ? $"The {level} on '{Connection.Name}' can run no more statements: a statement inside it failed, and the {Connection.Driver} server "
              + $"threw the {level}'s work away ({cause.Message}). This statement was not run. Roll the {level} back (or dispose it) and run it again; "
              + "to go on after a statement that may fail, run that statement in a nested transaction (a savepoint) and roll that back when it fails."
            : $"The {level} on '{Connection.Name}' was rolled back, not committed, because a statement inside it failed ({cause.Message}). "
              + $"Nothing of it was saved: run the {level} again.";
        return new TransactionException(message, Connection.Name, cause, cause is SwitchboardException { IsTransient: true });
    }

    /// <summary>The error for completing a transaction in a flow where it was not ambient.</summary>
    private TransactionException NotAmbient(bool commit) => new(
        $"The {(IsNested ? "savepoint" : "transaction")} on '{Connection.Name}' is not the ambient transaction of this async flow: it was begun in an async "
        + "method that has since returned (an async method's ambient changes do not flow back to its caller) or in an unrelated task, so statements "
        + $"this flow ran on '{Connection.Name}' did not run inside it and were committed on their own. It has been rolled back{(commit ? " instead of committed" : "")}. "
        + $"Begin the transaction in the method that runs its statements (or use {Connection.Name}'s TransactionAsync), or run its statements through "
        + "the transaction itself (Execute, ExecuteAsync, ...), which binds it to the flow that uses it.",
        Connection.Name);
}
