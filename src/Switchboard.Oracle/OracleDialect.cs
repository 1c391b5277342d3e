using System.Data;
using System.Text;
using Switchboard.Dialects;

namespace Switchboard.Oracle;

/// <summary>
/// Oracle (12c and later): double-quoted identifiers, <c>:name</c> parameters, OFFSET/FETCH paging, keys returned by
/// <c>RETURNING ... INTO</c> an output parameter, savepoints without release, and READ COMMITTED or SERIALIZABLE.
/// </summary>
/// <remarks>
/// Quoted identifiers are case-sensitive in Oracle, and a table created without quotes is upper case: map such a
/// table as <c>[Table("USERS")]</c>. Values Oracle has no type for are sent as what it stores them in: a
/// <see cref="bool"/> as 1 or 0 (<c>NUMBER(1)</c>), a <see cref="Guid"/> as its 16 bytes (<c>RAW(16)</c>), a
/// <see cref="DateOnly"/> as a <c>DATE</c> at midnight and a <see cref="TimeOnly"/> as an <c>INTERVAL DAY TO SECOND</c>.
/// </remarks>
internal sealed class OracleDialect : SqlDialect
{
    /// <summary>The output parameter an INSERT's generated key is returned into.</summary>
    public const string GeneratedKeyParameter = "sb_key";

    public override GeneratedKeyStyle GeneratedKeyStyle => GeneratedKeyStyle.ReturningInto;

    /// <summary>A statement binds at most 65535 variables (ORA-01745 beyond).</summary>
    public override int MaxParameters => 65535;

    /// <summary>An IN list holds at most 1,000 expressions (ORA-01795): a longer one is written as several joined by OR.</summary>
    public override int MaxInListItems => 1000;

    /// <summary>A command holds one statement; a generated key comes back through an output parameter of that statement.</summary>
    public override bool SupportsStatementBatches => false;

    /// <summary>
    /// Oracle has no multi-row VALUES; <c>INSERT ... SELECT ... FROM DUAL UNION ALL ...</c> inserts the rows in one
    /// statement (INSERT ALL would limit the columns of all rows together to 999).
    /// </summary>
    public override string InsertRows(string table, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        var sql = new StringBuilder("INSERT INTO ").Append(table).Append(" (").AppendJoin(", ", columns).Append(')');
        for (var i = 0; i < rows.Count; i++)
        {
            sql.Append(i == 0 ? " SELECT " : " UNION ALL SELECT ").AppendJoin(", ", rows[i]).Append(" FROM DUAL");
        }

        return sql.ToString();
    }

    /// <summary>Oracle identifiers cannot contain a double quote at all (there is no escape), so such a name is refused.</summary>
    public override string QuoteIdentifier(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        if (identifier.Contains('"', StringComparison.Ordinal) || identifier.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The identifier '{identifier}' contains a double quote or NUL, which Oracle allows in no identifier. Rename the table or column mapping.", nameof(identifier));
        }

        return "\"" + identifier + "\"";
    }

    public override string ParameterPlaceholder(string name) => ":" + name;

    public override void AppendPaging(StringBuilder sql, long? limit, long? offset, bool hasOrderBy)
    {
        ArgumentNullException.ThrowIfNull(sql);
        if (offset is not null)
        {
            sql.Append(" OFFSET ").Append(offset.Value).Append(" ROWS");
        }

        if (limit is not null)
        {
            sql.Append(offset is null ? " FETCH FIRST " : " FETCH NEXT ").Append(limit.Value).Append(" ROWS ONLY");
        }
    }

    public override string Insert(string table, IReadOnlyList<string> columns, IReadOnlyList<string> placeholders, string? generatedKey)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(placeholders);
        var sql = new StringBuilder("INSERT INTO ").Append(table);
        if (columns.Count > 0)
        {
            sql.Append(" (").AppendJoin(", ", columns).Append(") VALUES (").AppendJoin(", ", placeholders).Append(')');
        }
        else if (generatedKey is not null)
        {
            // Oracle has no DEFAULT VALUES: let the key column take its default and the rest follow.
            sql.Append(" (").Append(generatedKey).Append(") VALUES (DEFAULT)");
        }
        else
        {
            throw new NotSupportedException($"Oracle cannot insert a row into {table} without naming a column. Give the record a value to insert, or a generated key.");
        }

        if (generatedKey is not null)
        {
            sql.Append(" RETURNING ").Append(generatedKey).Append(" INTO ").Append(ParameterPlaceholder(GeneratedKeyParameter));
        }

        return sql.ToString();
    }

    /// <summary>Oracle has no RELEASE SAVEPOINT; a savepoint lasts until the transaction ends.</summary>
    public override string? ReleaseSavepointSql(string name) => null;

    /// <summary>Oracle offers READ COMMITTED and SERIALIZABLE only; the others are refused rather than silently strengthened.</summary>
    public override bool SupportsIsolationLevel(IsolationLevel level) =>
        level is IsolationLevel.Unspecified or IsolationLevel.ReadCommitted or IsolationLevel.Serializable;

    public override object ToParameterValue(object value) => value switch
    {
        bool flag => flag ? 1 : 0,
        Guid guid => guid.ToByteArray(),
        DateOnly date => date.ToDateTime(TimeOnly.MinValue),
        TimeOnly time => time.ToTimeSpan(),
        _ => value,
    };
}
