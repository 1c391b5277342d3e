using System.Data;
using System.Globalization;
using System.Text;
using Switchboard.Dialects;

namespace Switchboard.Sqlite;

/// <summary>SQLite: double-quoted identifiers, <c>@name</c> parameters, LIMIT/OFFSET, RETURNING, and serializable transactions.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    public override string? LastInsertIdSql => "SELECT last_insert_rowid()";

    public override void AppendPaging(StringBuilder sql, long? limit, long? offset, bool hasOrderBy)
    {
        ArgumentNullException.ThrowIfNull(sql);
        if (limit is null && offset is null)
        {
            return;
        }

        // SQLite needs a LIMIT before OFFSET; -1 means no limit.
        sql.Append(" LIMIT ").Append(limit ?? -1);
        if (offset is not null)
        {
            sql.Append(" OFFSET ").Append(offset.Value);
        }
    }

    /// <summary>
    /// A UTC <see cref="DateTime"/> (Local ones arrive already converted) is written as text ending in <c>Z</c>, which
    /// Microsoft.Data.Sqlite reads back as Kind Utc; Microsoft.Data.Sqlite alone writes every Kind alike and reads back
    /// Unspecified. Seven fraction digits, always, so that such values sort as text in time order.
    /// </summary>
    public override object ToParameterValue(object value) => value switch
    {
        DateTime { Kind: DateTimeKind.Utc } utc => utc.ToString("yyyy-MM-dd HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        _ => value,
    };

    /// <summary>SQLite transactions are always serializable; a weaker level asked for runs serializable, which satisfies it.</summary>
    public override bool SupportsIsolationLevel(IsolationLevel level) =>
        level is IsolationLevel.Unspecified or IsolationLevel.ReadUncommitted or IsolationLevel.ReadCommitted or IsolationLevel.RepeatableRead or IsolationLevel.Serializable;
}
