using System.Data;
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

    /// <summary>SQLite transactions are always serializable; a weaker level asked for runs serializable, which satisfies it.</summary>
    public override bool SupportsIsolationLevel(IsolationLevel level) =>
        level is IsolationLevel.Unspecified or IsolationLevel.ReadUncommitted or IsolationLevel.ReadCommitted or IsolationLevel.RepeatableRead or IsolationLevel.Serializable;
}
