using System.Net.Sockets;
using Microsoft.Data.SqlClient;
using Switchboard.Dialects;

namespace Switchboard.SqlServer;

/// <summary>Which SQL Server errors are worth retrying and which mean the connection is gone, from explicit error-number lists.</summary>
/// <remarks>SqlClient reports every error of a batch in <see cref="SqlException.Errors"/>; any one of them decides.</remarks>
internal static class SqlServerErrors
{
    /// <summary>Errors that leave no usable session: the network failed or the server ended it.</summary>
    public static readonly IReadOnlySet<int> DisconnectNumbers = new HashSet<int>
    {
        20, // the instance does not support encryption / the connection was reset on the way
        64, // the specified network name is no longer available
        121, // the semaphore timeout period has expired (network)
        233, // no process is on the other end of the pipe
        596, // the session is in the kill state
        6005, // SHUTDOWN is in progress
        10053, // the connection was aborted by the host
        10054, // the connection was reset by the peer
        10060, // the connection attempt timed out
    };

    /// <summary>Errors after which the same work may succeed when retried: every disconnect, and these.</summary>
    public static readonly IReadOnlySet<int> TransientNumbers = new HashSet<int>(DisconnectNumbers)
    {
        -2, // the command or connection timed out
        1205, // chosen as the deadlock victim
        1222, // lock request time out period exceeded
        3960, // snapshot isolation update conflict
        4060, // cannot open the database (it is starting, or failing over)
        4221, // login to a read secondary failed while it was catching up
        10928, // Azure SQL: resource limit reached
        10929, // Azure SQL: too busy
        40143, // Azure SQL: the service is busy
        40197, // Azure SQL: error processing the request (failover)
        40501, // Azure SQL: the service is busy
        40540, // Azure SQL: the service encountered an error
        40613, // Azure SQL: the database is not currently available
        42108, // Azure SQL serverless: the database is paused and resuming
        42109, // Azure SQL serverless: the database is resuming
        49918, // Azure SQL: not enough resources to process the request
        49919, // Azure SQL: too many create or update operations
        49920, // Azure SQL: too many operations in progress
    };

    /// <summary>Errors after which SQL Server has rolled back the whole transaction, not only the statement.</summary>
    public static readonly IReadOnlySet<int> TransactionRollbackNumbers = new HashSet<int>
    {
        1205, // chosen as the deadlock victim: the victim's transaction is rolled back
        3930, // the transaction is doomed (uncommittable) and can only roll back
        3960, // snapshot isolation update conflict: the transaction is rolled back
        3961, // snapshot isolation: the object was changed by DDL in another transaction
        3998, // an uncommittable transaction was detected at the end of the batch and rolled back
    };

    /// <summary>
    /// With XACT_ABORT OFF (SqlClient's default) most errors end only the statement; the errors listed in
    /// <see cref="TransactionRollbackNumbers"/> roll back the whole transaction; a client timeout (-2) aborts the batch
    /// midway, so the transaction counts as aborted (a savepoint taken before it still recovers). Under XACT_ABORT ON every
    /// error rolls back, and SqlClient itself then refuses the completed transaction, so a commit cannot report success.
    /// </summary>
    public static TransactionFailureEffect EffectOnTransaction(Exception exception) =>
        exception is SqlException sql
            ? EffectOnTransaction(sql.Errors.Cast<SqlError>().Select(e => (e.Number, e.Class)).ToList())
            : TransactionFailureEffect.TransactionAborted;

    /// <inheritdoc cref="EffectOnTransaction(Exception)"/>
    /// <param name="errors">The number and severity of each error of the batch.</param>
    public static TransactionFailureEffect EffectOnTransaction(IReadOnlyCollection<(int Number, byte Severity)> errors)
    {
        if (errors.Any(e => TransactionRollbackNumbers.Contains(e.Number) || e.Severity >= FatalSeverity))
        {
            return TransactionFailureEffect.TransactionRolledBack;
        }

        return errors.Any(e => e.Number == -2) ? TransactionFailureEffect.TransactionAborted : TransactionFailureEffect.StatementUndone;
    }

    /// <summary>Errors of this severity or higher end the session (SQL Server closes the connection after sending them).</summary>
    public const byte FatalSeverity = 20;

    public static bool IsTransient(int number) => TransientNumbers.Contains(number);

    public static bool IsDisconnect(int number, byte severity) => DisconnectNumbers.Contains(number) || severity >= FatalSeverity;

    public static bool IsTransient(Exception exception) => exception switch
    {
        SqlException sql => sql.Errors.Cast<SqlError>().Any(e => IsTransient(e.Number)) || HasNetworkCause(sql),
        _ => false,
    };

    public static bool IsDisconnect(Exception exception) => exception switch
    {
        SqlException sql => sql.Errors.Cast<SqlError>().Any(e => IsDisconnect(e.Number, e.Class)) || HasNetworkCause(sql),
        _ => false,
    };

    private static bool HasNetworkCause(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is IOException or SocketException)
            {
                return true;
            }
        }

        return false;
    }
}
