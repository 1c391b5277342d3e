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

    /// <summary>
    /// SQLite's LIKE ignores the case of ASCII letters; GLOB compares exactly (and still uses an index for a prefix), so
    /// text matches are GLOB patterns with <c>*</c>, <c>?</c> and <c>[</c> wrapped in brackets to match themselves.
    /// </summary>
    public override string OrdinalTextMatch(TextMatch match, string operand, string text, Func<object?, string> parameter)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(parameter);
        var escaped = new StringBuilder(text.Length + 2);
        foreach (var c in text)
        {
            _ = c is '*' or '?' or '[' ? escaped.Append('[').Append(c).Append(']') : escaped.Append(c);
        }

        var pattern = match switch
        {
            TextMatch.Contains => "*" + escaped + "*",
            TextMatch.StartsWith => escaped + "*",
            _ => "*" + escaped,
        };
        return operand + " GLOB " + parameter(pattern);
    }

    /// <summary>SQLite transactions are always serializable; a weaker level asked for runs serializable, which satisfies it.</summary>
    public override bool SupportsIsolationLevel(IsolationLevel level) =>
        level is IsolationLevel.Unspecified or IsolationLevel.ReadUncommitted or IsolationLevel.ReadCommitted or IsolationLevel.RepeatableRead or IsolationLevel.Serializable;
}
