using System.Data;
using Switchboard.Dialects;

namespace Switchboard.PostgreSql;

/// <summary>PostgreSQL: double-quoted identifiers, <c>@name</c> parameters, LIMIT/OFFSET, RETURNING and savepoints.</summary>
/// <remarks>
/// A <see cref="DateTimeOffset"/> is sent as UTC, since <c>timestamptz</c> stores an instant and Npgsql refuses other
/// offsets: it reads back equal (the same instant) with offset zero.
/// </remarks>
internal sealed class PostgreSqlDialect : SqlDialect
{
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public override string QuoteIdentifier(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return Quote(identifier);
    }

    /// <summary>
    /// PostgreSQL has no READ UNCOMMITTED (it runs as READ COMMITTED, which satisfies it) and no SNAPSHOT level by that
    /// name: SNAPSHOT and CHAOS are refused, so that code written for SQL Server does not silently change meaning.
    /// </summary>
    public override bool SupportsIsolationLevel(IsolationLevel level) =>
        level is IsolationLevel.Unspecified or IsolationLevel.ReadUncommitted or IsolationLevel.ReadCommitted or IsolationLevel.RepeatableRead or IsolationLevel.Serializable;

    public override object ToParameterValue(object value) => value switch
    {
        DateTimeOffset offset => offset.ToUniversalTime(),
        _ => value,
    };
}
