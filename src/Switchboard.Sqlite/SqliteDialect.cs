using System.Data;
using System.Globalization;
using System.Text;
using Switchboard.Dialects;
using Switchboard.Providers;

namespace Switchboard.Sqlite;

/// <summary>SQLite: double-quoted identifiers, <c>@name</c> parameters, LIMIT/OFFSET, RETURNING, and serializable transactions.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    public override string? LastInsertIdSql => "SELECT last_insert_rowid()";

    /// <summary>
    /// <c>@name</c>, as generated SQL writes it. Microsoft.Data.Sqlite looks a parameter up by its name as given and, when
    /// that is not in the statement, by each of <c>@</c>, <c>$</c> and <c>:</c> in front of it (all three, to detect an
    /// ambiguous name): four native lookups instead of one for every parameter of every execution.
    /// </summary>
    public override string GeneratedParameterName(string name) => ParameterPlaceholder(name);

    /// <summary>SQLITE_MAX_VARIABLE_NUMBER of the SQLite that Microsoft.Data.Sqlite bundles (32766 since SQLite 3.32).</summary>
    public override int MaxParameters => 32766;

    /// <summary>A longer list is one JSON array parameter, read by <c>json_each</c>: one statement text whatever the count.</summary>
    public override int MaxInListParameters => 1000;

    /// <summary>
    /// <c>SELECT value FROM json_each(@p)</c> for integers, text and booleans, which JSON keeps exactly and
    /// <c>json_each</c> gives back as INTEGER and TEXT; other values (GUIDs, dates, reals) stay a parameter each.
    /// </summary>
    public override string? ListParameterSql(string placeholder, IReadOnlyList<object> values) =>
        JsonListParameter.KindOf(values) is JsonListKind.Integer or JsonListKind.Text or JsonListKind.Boolean
            ? "SELECT value FROM json_each(" + placeholder + ")"
            : null;

    public override object ListParameterValue(IReadOnlyList<object> values) =>
        JsonListParameter.KindOf(values) is JsonListKind.Integer or JsonListKind.Text or JsonListKind.Boolean
            ? JsonListParameter.Write(values)
            : throw new NotSupportedException("A list sent as one SQLite parameter must hold integers, text or booleans, all of one kind.");

    /// <summary>
    /// SQLite has no date type: Switchboard writes dates as ISO 8601 text, so the year of a <see cref="DateTime"/> or
    /// <see cref="DateTimeOffset"/> is the number its first four characters spell.
    /// </summary>
    protected override void AddMethodTranslations(SqlMethodTable methods)
    {
        ArgumentNullException.ThrowIfNull(methods);
        methods.Add(typeof(DateTime).GetProperty(nameof(DateTime.Year))!.GetMethod!, Year);
        methods.Add(typeof(DateTimeOffset).GetProperty(nameof(DateTimeOffset.Year))!.GetMethod!, Year);
    }

    /// <summary>
    /// Microsoft.Data.Sqlite finds each parameter of a statement by name, a search through the statement's parameters,
    /// so binding grows with the square of their number (32766 of them take longer than a command timeout). With no
    /// network round trip to save, short statements are faster.
    /// </summary>
    public override int MaxRowsPerInsert => 100;

    /// <summary>
    /// A command's statements are each bound from all of the command's parameters (again a search per name), so a batch
    /// of single-row INSERTs costs the square of its size; one prepared INSERT per row, with no round trip, costs less.
    /// </summary>
    public override bool SupportsStatementBatches => false;

    /// <summary>
    /// Decimals are stored as text or floating point, which SUM adds inexactly and MIN/MAX of text compare as text; an
    /// offset stored as text compares by its digits, not its instant. Switchboard computes those aggregates itself.
    /// </summary>
    public override bool AggregatesExactly(Type type) => type != typeof(decimal) && type != typeof(DateTimeOffset);

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
    public override string OrdinalTextMatch(TextMatch match, string operand, string pattern) => operand + " GLOB " + pattern;

    /// <summary>The GLOB pattern matching the text literally: <c>*</c>, <c>?</c> and <c>[</c> wrapped in brackets.</summary>
    public override string OrdinalTextPattern(TextMatch match, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = new StringBuilder(text.Length + 2);
        foreach (var c in text)
        {
            _ = c is '*' or '?' or '[' ? escaped.Append('[').Append(c).Append(']') : escaped.Append(c);
        }

        return match switch
        {
            TextMatch.Contains => "*" + escaped + "*",
            TextMatch.StartsWith => escaped + "*",
            _ => "*" + escaped,
        };
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

    /// <summary>A ulong column could hold values SQLite's signed 64-bit integers cannot: refused up front, not wrapped to negatives.</summary>
    public override string? CannotStoreType(Type type) =>
        type == typeof(ulong)
            ? "SQLite stores integers as signed 64-bit, so a UInt64 above 9223372036854775807 cannot be stored (Microsoft.Data.Sqlite would wrap it to a negative number). Use long, or mark the property [NotMapped]."
            : null;

    /// <summary>
    /// A decimal in a column of INTEGER, REAL or NUMERIC affinity is stored as an 8-byte REAL and keeps only about 15
    /// significant digits, silently. Refused, unless the column declares a precision of at most 15 digits
    /// (<c>NUMERIC(10,2)</c>), whose values a REAL holds exactly.
    /// </summary>
    public override string? CannotStoreInColumn(Type type, string columnType)
    {
        ArgumentNullException.ThrowIfNull(columnType);
        var affinity = SqliteColumnType.Affinity(columnType);
        if (type != typeof(decimal) || affinity is "TEXT" or "BLOB" || SqliteColumnType.DeclaredPrecision(columnType) is <= SqliteColumnType.ExactDigits)
        {
            return null;
        }

        return $"SQLite gives such a column {affinity} affinity, which stores a decimal as an 8-byte REAL and silently keeps only about 15 significant digits "
            + "(12345678901234.5678 comes back as 12345678901234.6). Declare the column TEXT (decimals then keep every digit), "
            + "or NUMERIC(p,s) with p at most 15, or make the property a double.";
    }

    /// <summary>A decimal of more than 15 significant digits, for a column whose declared precision let the model through (<c>NUMERIC(10,2)</c>): SQLite would keep 15.</summary>
    public override string? CannotStoreValueInColumn(object value, string columnType) =>
        value is decimal number && SqliteColumnType.SignificantDigits(number) > SqliteColumnType.ExactDigits && SqliteColumnType.Affinity(columnType) is "INTEGER" or "REAL" or "NUMERIC"
            ? $"SQLite stores a decimal in such a column as an 8-byte REAL, which keeps {SqliteColumnType.ExactDigits} significant digits; this value has more and would come back changed. Declare the column TEXT, or round the value."
            : null;

    /// <summary>Values SQLite would change: NaN (stored as NULL, so Microsoft.Data.Sqlite refuses it) and a ulong above long.MaxValue (wrapped to a negative number).</summary>
    public override string? CannotStoreValue(object value) => value switch
    {
        double number when double.IsNaN(number) => "SQLite has no NaN (it would store NULL). Send null, or check the value first.",
        float number when float.IsNaN(number) => "SQLite has no NaN (it would store NULL). Send null, or check the value first.",
        ulong number when number > long.MaxValue => "SQLite stores integers as signed 64-bit, so a UInt64 above 9223372036854775807 would come back negative. Send a long, or a decimal stored as TEXT.",
        _ when !Bindable.Contains(value.GetType()) =>
            $"Microsoft.Data.Sqlite binds numbers, text, byte[], Guid, dates and times only, not a {value.GetType().Name}. Convert it to one of those (a string, say) first.",
        _ => null,
    };

    /// <summary>What Microsoft.Data.Sqlite's binder accepts (enums arrive as their underlying integer).</summary>
    private static readonly HashSet<Type> Bindable =
    [
        typeof(bool), typeof(byte), typeof(sbyte), typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong),
        typeof(float), typeof(double), typeof(decimal), typeof(char), typeof(string), typeof(byte[]), typeof(Guid), typeof(DateTime),
        typeof(DateTimeOffset), typeof(DateOnly), typeof(TimeOnly), typeof(TimeSpan), typeof(DBNull),
    ];

    /// <summary>SQLite transactions are always serializable; a weaker level asked for runs serializable, which satisfies it.</summary>
    public override bool SupportsIsolationLevel(IsolationLevel level) =>
        level is IsolationLevel.Unspecified or IsolationLevel.ReadUncommitted or IsolationLevel.ReadCommitted or IsolationLevel.RepeatableRead or IsolationLevel.Serializable;

    private static string Year(SqlMethodCall call) => "CAST(substr(" + call.Sql(call.Instance!) + ", 1, 4) AS INTEGER)";
}
