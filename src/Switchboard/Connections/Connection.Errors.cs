using System.Data;
using System.Data.Common;
using Switchboard.Pooling;

namespace Switchboard;

// How a failed statement is reported: a driver exception becomes Switchboard's, and the physical connection is marked
// unusable when it is.
public sealed partial class Connection
{
    /// <summary>Turns a driver exception into Switchboard's, and marks the physical connection unusable when it is.</summary>
    internal Exception Translate(Exception exception, in ConnectionLease lease, string sql, CancellationToken cancellationToken, DbCommand? command = null)
    {
        if (lease.Connection.ForcedClose)
        {
            return new ConnectionException(
                $"Connection '{Name}' was disposed while this statement was running, and it did not finish within the grace period given to DisposeAsync: "
                + "the statement was cancelled and its connection closed. Give DisposeAsync a longer grace period, or finish the work before disposing.",
                Name,
                isTransient: false,
                Pool.Scrub(exception));
        }

        if (!cancellationToken.IsCancellationRequested && (lease.Connection.TimedOut || IsDriverTimeout(exception) || DatabaseDriver.IsClientTimeout(exception)))
        {
            return CommandTimedOut(exception, lease, sql);
        }

        if (exception is OperationCanceledException || cancellationToken.IsCancellationRequested)
        {
            // Cancelled mid-statement: the connection may still be busy; never pool it half-used (unless the engine's cancel
            // leaves nothing running, as SQLite's interrupt does, and no transaction was cut short).
            if (lease.InTransaction || !DatabaseDriver.ConnectionSurvivesCancellation)
            {
                lease.Connection.Break();
            }

            return exception is OperationCanceledException ? exception : new OperationCanceledException(cancellationToken);
        }

        // A driver may throw the socket's own exception (MySqlConnector's MySqlEndOfStreamException at BEGIN): the connection is gone.
        var socketFailed = exception is IOException or System.Net.Sockets.SocketException;
        if (exception is OverflowException or InvalidCastException or FormatException)
        {
            // The driver could not turn a value into a CLR value (a numeric beyond decimal, a text that is no date):
            // the statement ran, the connection is fine, and the caller learns which connection and what to change.
            var fix = exception is OverflowException ? " Cast the column in SQL to a type that holds it (text, say), or change the property's type." : "";
            return new SwitchboardException(
                $"A value of a statement on '{Name}' ({Driver}) could not be read or sent: {Pool.Scrub(exception.Message)}{fix} Statement: {Shorten(Pool.Scrub(sql))}",
                Name,
                isTransient: false,
                Pool.Scrub(exception));
        }

        if (exception is not DbException && exception is not InvalidOperationException && !socketFailed)
        {
            return exception;
        }

        // The engine's own account of the failure (a pooler's refusal, an unbound parameter), when it has one.
        var cause = DatabaseDriver.ExplainFailure(exception, sql);
        var said = HideValues(Pool.Scrub(exception.Message), command);

        // The driver's own verdict first (DbException.IsTransient), then the provider's explicit lists.
        var transient = exception is DbException { IsTransient: true } || DatabaseDriver.IsTransient(exception);
        if (socketFailed || DatabaseDriver.IsDisconnect(exception) || lease.Connection.Db.State != ConnectionState.Open)
        {
            lease.Connection.MarkDisconnected();
            var inTransaction = lease.InTransaction
                ? " It happened inside a transaction, which is lost: nothing was retried; start the transaction again."
                : "";
            return new ConnectionException(
                cause is null
                    ? $"The connection to '{Name}' ({Pool.Target}) was lost while running a statement: {said}{inTransaction}"
                    : $"The session on '{Name}' ({Pool.Target}) was ended by the server: {said} {cause}{inTransaction}",
                Name,
                isTransient: cause is null || transient,
                Pool.Scrub(exception));
        }

        // A driver's InvalidOperationException (an unbound parameter on SQLite, ...) is named like any other failure.
        var detail = exception is DbException driverError ? DatabaseDriver.DescribeError(driverError) : default;
        return new StatementException(
            $"A statement failed on '{Name}' ({Driver}){Pool.Scrub(Describe(detail))}: {said}{(cause is null ? "" : " " + cause)} Statement: {Shorten(Pool.Scrub(sql))}",
            Name,
            detail.Kind,
            transient,
            Pool.Scrub(exception),
            detail.SqlState,
            detail.ErrorNumber,
            detail.ConstraintName);
    }

    /// <summary>
    /// The driver's own read timeout: Npgsql breaks the connection and throws "Exception while reading from stream" around
    /// a <see cref="TimeoutException"/>, which must read as a timeout, not as a lost connection.
    /// </summary>
    private static bool IsDriverTimeout(Exception exception) =>
        exception is TimeoutException || (exception is DbException && exception.InnerException is TimeoutException);

    private CommandTimeoutException CommandTimedOut(Exception exception, in ConnectionLease lease, string sql)
    {
        var physical = lease.Connection;
        physical.Break();
        var what = physical.Abandoned && sql is "BEGIN" or "COMMIT" or "ROLLBACK"
            ? "the driver has no way to cancel it, so its connection was closed and discarded"
            : physical.Abandoned
            ? $"a cancel was sent if the server answered at all, and since the statement had not ended {StatementDeadline.CancelGrace.TotalSeconds:0.###} s later its connection was closed and discarded"
            : physical.TimedOut
                ? "it was cancelled through the driver and its connection discarded"
                : $"the driver timed it out ({exception.Message}) and its connection was discarded";
        var inTransaction = lease.InTransaction ? " It ran inside a transaction, which is lost: start the transaction again." : "";
        var timeout = _commandTimeout > TimeSpan.Zero ? $"{_commandTimeout.TotalSeconds:0.###} s" : "the driver's default";
        return new CommandTimeoutException(
            $"A statement on '{Name}' ({Pool.Target}) did not finish within command_timeout ({timeout}): {what}. Whether it took effect is unknown.{inTransaction} "
            + $"Raise command_timeout for '{Name}' if the statement needs longer, or make it faster. Statement: {Shorten(sql)}",
            Name,
            _commandTimeout,
            exception is DeadlinePassedException ? null : exception);
    }

    /// <summary>Thrown inside <see cref="RunCommandAsync"/> when the deadline passed without a driver error to report.</summary>
    private sealed class DeadlinePassedException : TimeoutException;
}
