using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.Data.SqlClient;
using Switchboard.Dialects;

namespace Switchboard.SqlServer;

/// <summary>Which SQL Server errors are worth retrying and which mean the connection is gone, from explicit error-number lists.</summary>
/// <remarks>SqlClient reports every error of a batch in <see cref="SqlException.Errors"/>; any one of them decides.</remarks>
internal static partial class SqlServerErrors
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
        SqlException sql => sql.Errors.Cast<SqlError>().Any(e => IsTransient(e.Number)) || DriverErrors.HasNetworkCause(sql),
        _ => false,
    };

    public static bool IsDisconnect(Exception exception) => exception switch
    {
        SqlException sql => sql.Errors.Cast<SqlError>().Any(e => IsDisconnect(e.Number, e.Class)) || DriverErrors.HasNetworkCause(sql),
        _ => false,
    };

    /// <summary>The kind of failure each error number names (547 is decided by its message: a foreign key or a check).</summary>
    public static readonly IReadOnlyDictionary<int, StatementErrorKind> Kinds = new Dictionary<int, StatementErrorKind>
    {
        [2627] = StatementErrorKind.UniqueViolation, // violation of a PRIMARY KEY or UNIQUE constraint
        [2601] = StatementErrorKind.UniqueViolation, // duplicate key row in a unique index
        [547] = StatementErrorKind.ForeignKeyViolation, // conflicted with a FOREIGN KEY, REFERENCE or CHECK constraint
        [515] = StatementErrorKind.NotNullViolation, // cannot insert the value NULL into a column
        [1205] = StatementErrorKind.Deadlock, // chosen as the deadlock victim
        [3960] = StatementErrorKind.SerializationFailure, // snapshot isolation update conflict
        [3961] = StatementErrorKind.SerializationFailure, // snapshot isolation: the object was changed by DDL
        [-2] = StatementErrorKind.Timeout, // the client's command timeout
        [1222] = StatementErrorKind.Timeout, // lock request time out period exceeded
        [102] = StatementErrorKind.Syntax, // incorrect syntax near ...
        [156] = StatementErrorKind.Syntax, // incorrect syntax near the keyword ...
        [105] = StatementErrorKind.Syntax, // unclosed quotation mark
        [207] = StatementErrorKind.Syntax, // invalid column name
        [208] = StatementErrorKind.Syntax, // invalid object name
    };

    /// <summary>The error number, kind and constraint of a failed statement (SQL Server has no SQLSTATE in SqlClient).</summary>
    public static StatementErrorInfo Describe(DbException exception)
    {
        int? number = exception switch
        {
            SqlException sql => sql.Number,
            _ when exception.Data["HelpLink.EvtID"] is string id && int.TryParse(id, out var parsed) => parsed,
            _ => null,
        };

        return number is { } n ? Describe(n, exception.Message) : new StatementErrorInfo(DriverErrors.KindOfSqlState(exception.SqlState), exception.SqlState);
    }

    /// <summary>The kind and constraint for an error number and its message.</summary>
    public static StatementErrorInfo Describe(int number, string message)
    {
        var kind = Kinds.TryGetValue(number, out var known) ? known : StatementErrorKind.Other;
        if (number == 547 && message.Contains("CHECK constraint", StringComparison.OrdinalIgnoreCase))
        {
            kind = StatementErrorKind.CheckViolation;
        }

        var match = number switch
        {
            2627 => SingleQuotedConstraint().Match(message),
            2601 => UniqueIndex().Match(message),
            547 => DoubleQuotedConstraint().Match(message),
            _ => Match.Empty,
        };
        return new StatementErrorInfo(kind, null, number, match.Success ? match.Groups[1].Value : null);
    }

    [GeneratedRegex(@"constraint '([^']+)'", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SingleQuotedConstraint();

    [GeneratedRegex(@"unique index '([^']+)'", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex UniqueIndex();

    [GeneratedRegex("constraint \"([^\"]+)\"", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DoubleQuotedConstraint();
}
