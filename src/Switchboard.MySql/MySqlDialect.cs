using System.Data;
using System.Text;
using Switchboard.Dialects;

namespace Switchboard.MySql;

/// <summary>
/// MySQL and MariaDB: backquoted identifiers, <c>@name</c> parameters, LIMIT/OFFSET, <c>LAST_INSERT_ID()</c> after an
/// INSERT in the same batch, and savepoints.
/// </summary>
internal sealed class MySqlDialect : SqlDialect
{
    /// <summary>The largest row count MySQL accepts, its documented way of saying "no limit" before an OFFSET.</summary>
    public const string NoLimit = "18446744073709551615";

    public override GeneratedKeyStyle GeneratedKeyStyle => GeneratedKeyStyle.FollowingSelect;

    public override string? LastInsertIdSql => "SELECT LAST_INSERT_ID()";

    /// <summary>The protocol counts a prepared statement's parameters in 16 bits; MySqlConnector checks the same bound.</summary>
    public override int MaxParameters => 65535;

    /// <summary>
    /// Backslash starts an escape inside MySQL string literals (unless NO_BACKSLASH_ESCAPES), so the core's
    /// <c>ESCAPE '\'</c> would not parse: '!' means the same to LIKE and nothing to the literal.
    /// </summary>
    public override char LikeEscape => '!';

    /// <summary>
    /// LIKE follows the column's collation, case-insensitive by default: the pattern is given the binary collation of
    /// the connection's utf8mb4 character set, which then decides the comparison (the column converts to it).
    /// </summary>
    public override string OrdinalTextMatch(TextMatch match, string operand, string pattern) =>
        operand + " LIKE " + pattern + " COLLATE utf8mb4_bin ESCAPE '" + LikeEscape + "'";

    /// <summary><c>LENGTH</c> counts bytes in MySQL; <c>CHAR_LENGTH</c> counts characters.</summary>
    public override string TextLength(string operand) => "CHAR_LENGTH(" + operand + ")";

    public override string QuoteIdentifier(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`";
    }

    public override void AppendPaging(StringBuilder sql, long? limit, long? offset, bool hasOrderBy)
    {
        ArgumentNullException.ThrowIfNull(sql);
        if (limit is null && offset is null)
        {
            return;
        }

        // MySQL has no OFFSET without LIMIT.
        sql.Append(" LIMIT ");
        if (limit is { } count)
        {
            sql.Append(count);
        }
        else
        {
            sql.Append(NoLimit);
        }

        if (offset is not null)
        {
            sql.Append(" OFFSET ").Append(offset.Value);
        }
    }

    public override string Insert(string table, IReadOnlyList<string> columns, IReadOnlyList<string> placeholders, string? generatedKey)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count > 0)
        {
            return base.Insert(table, columns, placeholders, generatedKey);
        }

        // MySQL has no DEFAULT VALUES: an empty column list means every column takes its default.
        var sql = "INSERT INTO " + table + " () VALUES ()";
        return generatedKey is null ? sql : sql + "; " + LastInsertIdSql;
    }

    /// <summary>InnoDB has the four standard levels; SNAPSHOT and CHAOS are refused rather than approximated.</summary>
    /// <summary>MySQL and MariaDB have no NaN or infinity in FLOAT and DOUBLE columns.</summary>
    public override string? CannotStoreValue(object value) => value switch
    {
        double number when !double.IsFinite(number) => "MySQL and MariaDB store no NaN or infinity in a DOUBLE. Send null, or check the value first.",
        float number when !float.IsFinite(number) => "MySQL and MariaDB store no NaN or infinity in a FLOAT. Send null, or check the value first.",
        _ when !IsFrameworkOrDriver(value.GetType()) =>
            $"MySqlConnector has no MySQL type for {value.GetType().Name}, a type of the application. Send one of its properties, or convert it (to a string, say) first.",
        _ => null,
    };

    /// <summary>Whether the type is .NET's or MySqlConnector's (an enum arrives as its underlying integer): anything else the driver would refuse without naming the parameter.</summary>
    private static bool IsFrameworkOrDriver(Type type) =>
        type.Assembly == typeof(object).Assembly
        || type.Assembly.GetName().Name is { } assembly
        && (assembly.StartsWith("System", StringComparison.Ordinal) || assembly.StartsWith("Microsoft.", StringComparison.Ordinal)
            || assembly == "MySqlConnector" || assembly == "mscorlib" || assembly == "netstandard");

    public override bool SupportsIsolationLevel(IsolationLevel level) =>
        level is IsolationLevel.Unspecified or IsolationLevel.ReadUncommitted or IsolationLevel.ReadCommitted or IsolationLevel.RepeatableRead or IsolationLevel.Serializable;
}
