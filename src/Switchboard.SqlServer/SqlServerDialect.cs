using System.Data;
using System.Data.Common;
using System.Text;
using Switchboard.Dialects;
using Switchboard.Providers;

namespace Switchboard.SqlServer;

/// <summary>
/// SQL Server: bracketed identifiers, <c>@name</c> parameters, OFFSET/FETCH paging, <c>OUTPUT INSERTED</c> keys,
/// <c>SAVE TRANSACTION</c> savepoints and every isolation level including SNAPSHOT.
/// </summary>
/// <remarks>
/// <c>OUTPUT</c> without <c>INTO</c> is refused by SQL Server on a table with enabled triggers (error 334); such a
/// table needs its key assigned by the application. <see cref="LastInsertIdSql"/> reads <c>@@IDENTITY</c>, since it runs
/// in a batch of its own where <c>SCOPE_IDENTITY()</c> is NULL; a trigger that inserts elsewhere changes it.
/// </remarks>
internal sealed class SqlServerDialect : SqlDialect
{
    public override GeneratedKeyStyle GeneratedKeyStyle => GeneratedKeyStyle.Output;

    public override string? LastInsertIdSql => "SELECT CAST(@@IDENTITY AS bigint)";

    /// <summary>A request carries at most 2100 parameters; two are left for what <c>sp_executesql</c> itself takes.</summary>
    public override int MaxParameters => 2098;

    /// <summary>A table value constructor (<c>VALUES (...), (...)</c>) lists at most 1000 rows (error 10738).</summary>
    public override int MaxRowsPerInsert => 1000;

    /// <summary>
    /// A longer list is one JSON array parameter, read by <c>OPENJSON</c>, so that it fits the 2,100 parameters of a
    /// request. <c>OPENJSON</c> needs the database's compatibility level at 130 (SQL Server 2016) or later.
    /// </summary>
    public override int MaxInListParameters => 1000;

    /// <summary>
    /// <c>SELECT value FROM OPENJSON(@p) WITH (value bigint '$')</c>, typed by the values: <c>bigint</c>, <c>bit</c> or
    /// <c>uniqueidentifier</c>. Text stays a parameter each: a column read from JSON carries the database's collation,
    /// which a column of another collation would refuse to compare with (a parameter takes the column's). Other values
    /// (dates, decimals) stay a parameter each too.
    /// </summary>
    public override string? ListParameterSql(string placeholder, IReadOnlyList<object> values) =>
        JsonListParameter.KindOf(values) switch
        {
            JsonListKind.Integer => "SELECT value FROM OPENJSON(" + placeholder + ") WITH (value bigint '$')",
            JsonListKind.Boolean => "SELECT value FROM OPENJSON(" + placeholder + ") WITH (value bit '$')",
            JsonListKind.Guid => "SELECT value FROM OPENJSON(" + placeholder + ") WITH (value uniqueidentifier '$')",
            _ => null,
        };

    public override object ListParameterValue(IReadOnlyList<object> values) =>
        JsonListParameter.KindOf(values) is JsonListKind.Integer or JsonListKind.Boolean or JsonListKind.Guid
            ? JsonListParameter.Write(values)
            : throw new NotSupportedException("A list sent as one SQL Server parameter must hold integers, booleans or GUIDs, all of one kind.");

    public override string QuoteIdentifier(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return "[" + identifier.Replace("]", "]]", StringComparison.Ordinal) + "]";
    }

    public override void AppendPaging(StringBuilder sql, long? limit, long? offset, bool hasOrderBy)
    {
        ArgumentNullException.ThrowIfNull(sql);
        if (limit is null && offset is null)
        {
            return;
        }

        // OFFSET/FETCH belongs to ORDER BY; without an order, any order will do.
        if (!hasOrderBy)
        {
            sql.Append(" ORDER BY (SELECT NULL)");
        }

        sql.Append(" OFFSET ").Append(offset ?? 0).Append(" ROWS");
        if (limit is not null)
        {
            sql.Append(" FETCH NEXT ").Append(limit.Value).Append(" ROWS ONLY");
        }
    }

    public override string Insert(string table, IReadOnlyList<string> columns, IReadOnlyList<string> placeholders, string? generatedKey)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(placeholders);
        var sql = new StringBuilder("INSERT INTO ").Append(table);
        if (columns.Count > 0)
        {
            sql.Append(" (").AppendJoin(", ", columns).Append(')');
        }

        // OUTPUT sits between the column list and VALUES.
        if (generatedKey is not null)
        {
            sql.Append(" OUTPUT INSERTED.").Append(generatedKey);
        }

        if (columns.Count > 0)
        {
            sql.Append(" VALUES (").AppendJoin(", ", placeholders).Append(')');
        }
        else
        {
            sql.Append(" DEFAULT VALUES");
        }

        return sql.ToString();
    }

    /// <summary>SUM of an int column is an int in SQL Server, which overflows on the server: it is summed as a bigint.</summary>
    public override string Sum(string operand, Type type) =>
        type == typeof(int) || type == typeof(short) || type == typeof(byte) || type == typeof(sbyte) || type == typeof(ushort)
            ? "SUM(CAST(" + operand + " AS BIGINT))"
            : base.Sum(operand, type);

    public override string SavepointSql(string name) => "SAVE TRANSACTION " + name;

    public override string RollbackToSavepointSql(string name) => "ROLLBACK TRANSACTION " + name;

    /// <summary>SQL Server has no statement that releases a savepoint; it lasts until the transaction ends.</summary>
    public override string? ReleaseSavepointSql(string name) => null;

    public override bool SupportsIsolationLevel(IsolationLevel level) =>
        level is IsolationLevel.Unspecified or IsolationLevel.ReadUncommitted or IsolationLevel.ReadCommitted or IsolationLevel.RepeatableRead
            or IsolationLevel.Serializable or IsolationLevel.Snapshot;

    /// <summary>
    /// SqlClient infers <c>datetime</c> (3 ms steps, from 1753) for a <see cref="DateTime"/>; <c>datetime2</c> keeps every
    /// tick and converts to a <c>datetime</c> or <c>date</c> column on the server.
    /// </summary>
    public override void PrepareParameter(DbParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (parameter.Value is DateTime)
        {
            parameter.DbType = DbType.DateTime2;
        }
    }

    /// <summary>LIKE follows the column's collation, case-insensitive by default: the column is compared under a binary collation.</summary>
    public override string OrdinalTextMatch(TextMatch match, string operand, string pattern) =>
        operand + " COLLATE Latin1_General_BIN2 LIKE " + pattern + " ESCAPE '" + LikeEscape + "'";

    /// <summary><c>LEN</c> leaves out trailing spaces, which C#'s Length counts: measure the text with one character added.</summary>
    public override string TextLength(string operand) => "(LEN(" + operand + " + N'x') - 1)";

    /// <summary>T-SQL's LIKE also reads <c>[</c> as the start of a character class: escape it too.</summary>
    public override string EscapeLike(string text) =>
        base.EscapeLike(text).Replace("[", LikeEscape + "[", StringComparison.Ordinal);
}
