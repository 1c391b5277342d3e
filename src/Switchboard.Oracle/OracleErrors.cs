using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Switchboard.Dialects;

namespace Switchboard.Oracle;

/// <summary>
/// Which Oracle errors are worth retrying and which mean the connection is gone, from explicit ORA code lists.
/// </summary>
/// <remarks>
/// The provider's exception type is not known to this package, so codes are read from the messages, where every
/// Oracle provider writes them (<c>ORA-00060: deadlock detected ...</c>), on the exception and its inner exceptions.
/// An exception with no ORA code falls back to the provider's own <see cref="DbException.IsTransient"/> and to
/// socket failures.
/// </remarks>
internal static partial class OracleErrors
{
    /// <summary>Codes that end the session: the server or the network closed it.</summary>
    public static readonly IReadOnlySet<int> DisconnectCodes = new HashSet<int>
    {
        28, // ORA-00028: your session has been killed
        1012, // ORA-01012: not logged on
        1089, // ORA-01089: immediate shutdown in progress
        1092, // ORA-01092: instance terminated, disconnection forced
        2396, // ORA-02396: exceeded maximum idle time
        3113, // ORA-03113: end-of-file on communication channel
        3114, // ORA-03114: not connected to Oracle
        3135, // ORA-03135: connection lost contact
        12153, // ORA-12153: TNS: not connected
        12537, // ORA-12537: TNS: connection closed
        12547, // ORA-12547: TNS: lost contact
        12571, // ORA-12571: TNS: packet writer failure
    };

    /// <summary>Codes after which the same work may succeed when retried: every disconnect, and these.</summary>
    public static readonly IReadOnlySet<int> TransientCodes = new HashSet<int>(DisconnectCodes)
    {
        18, // ORA-00018: maximum number of sessions exceeded
        20, // ORA-00020: maximum number of processes exceeded
        54, // ORA-00054: resource busy and acquire with NOWAIT specified or timeout expired
        60, // ORA-00060: deadlock detected
        1033, // ORA-01033: initialization or shutdown in progress
        1034, // ORA-01034: ORACLE not available
        8177, // ORA-08177: can't serialize access for this transaction
        12170, // ORA-12170: TNS: connect timeout occurred
        12514, // ORA-12514: listener does not currently know of the service (starting up, failing over)
        12516, // ORA-12516: listener could not find an available handler
        12519, // ORA-12519: no appropriate service handler found
        12520, // ORA-12520: listener could not find an available handler for the requested server type
        12528, // ORA-12528: all appropriate instances are blocking new connections
        12541, // ORA-12541: no listener
        30006, // ORA-30006: resource busy; acquire with WAIT timeout expired
    };

    public static bool IsTransient(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var codes = Codes(exception);
        if (codes.Count > 0)
        {
            return codes.Any(TransientCodes.Contains);
        }

        return exception is DbException { IsTransient: true } || DriverErrors.HasNetworkCause(exception);
    }

    public static bool IsDisconnect(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Codes(exception).Any(DisconnectCodes.Contains) || (exception is DbException && DriverErrors.HasNetworkCause(exception));
    }

    /// <summary>Every ORA code in the messages of the exception and its inner exceptions.</summary>
    public static IReadOnlyList<int> Codes(Exception exception)
    {
        var codes = new List<int>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            foreach (Match match in OraCode().Matches(current.Message))
            {
                codes.Add(int.Parse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture));
            }
        }

        return codes;
    }

    [GeneratedRegex(@"\bORA-(\d{5})\b", RegexOptions.CultureInvariant)]
    private static partial Regex OraCode();

    /// <summary>The kind of failure each ORA code names.</summary>
    public static readonly IReadOnlyDictionary<int, StatementErrorKind> Kinds = new Dictionary<int, StatementErrorKind>
    {
        [1] = StatementErrorKind.UniqueViolation, // ORA-00001: unique constraint violated
        [2291] = StatementErrorKind.ForeignKeyViolation, // ORA-02291: integrity constraint violated - parent key not found
        [2292] = StatementErrorKind.ForeignKeyViolation, // ORA-02292: integrity constraint violated - child record found
        [1400] = StatementErrorKind.NotNullViolation, // ORA-01400: cannot insert NULL
        [1407] = StatementErrorKind.NotNullViolation, // ORA-01407: cannot update to NULL
        [2290] = StatementErrorKind.CheckViolation, // ORA-02290: check constraint violated
        [60] = StatementErrorKind.Deadlock, // ORA-00060: deadlock detected while waiting for resource
        [8177] = StatementErrorKind.SerializationFailure, // ORA-08177: can't serialize access for this transaction
        [1013] = StatementErrorKind.Timeout, // ORA-01013: user requested cancel (the provider's command timeout)
        [54] = StatementErrorKind.Timeout, // ORA-00054: resource busy and acquire with NOWAIT specified or timeout expired
        [30006] = StatementErrorKind.Timeout, // ORA-30006: resource busy; acquire with WAIT timeout expired
        [51] = StatementErrorKind.Timeout, // ORA-00051: timeout occurred while waiting for a resource
        [900] = StatementErrorKind.Syntax, // ORA-00900: invalid SQL statement
        [904] = StatementErrorKind.Syntax, // ORA-00904: invalid identifier
        [905] = StatementErrorKind.Syntax, // ORA-00905: missing keyword
        [907] = StatementErrorKind.Syntax, // ORA-00907: missing right parenthesis
        [923] = StatementErrorKind.Syntax, // ORA-00923: FROM keyword not found where expected
        [933] = StatementErrorKind.Syntax, // ORA-00933: SQL command not properly ended
        [936] = StatementErrorKind.Syntax, // ORA-00936: missing expression
        [942] = StatementErrorKind.Syntax, // ORA-00942: table or view does not exist
    };

    /// <summary>The ORA code, kind and constraint of a failed statement; Oracle names constraints as <c>(SCHEMA.NAME)</c>.</summary>
    public static StatementErrorInfo Describe(DbException exception)
    {
        var codes = Codes(exception);
        if (codes.Count == 0)
        {
            return new StatementErrorInfo(DriverErrors.KindOfSqlState(exception.SqlState), exception.SqlState);
        }

        var code = codes[0];
        var kind = Kinds.TryGetValue(code, out var known) ? known : StatementErrorKind.Other;
        string? constraint = null;
        if (kind is StatementErrorKind.UniqueViolation or StatementErrorKind.ForeignKeyViolation or StatementErrorKind.CheckViolation
            && QualifiedConstraint().Match(exception.Message) is { Success: true } match)
        {
            constraint = match.Groups[2].Value;
        }

        return new StatementErrorInfo(kind, exception.SqlState, code, constraint);
    }

    [GeneratedRegex(@"constraint \((?:([^.)]+)\.)?([^)]+)\)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex QualifiedConstraint();
}
