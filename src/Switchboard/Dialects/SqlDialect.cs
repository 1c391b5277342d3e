using System.Data;
using System.Data.Common;
using System.Text;

namespace Switchboard.Dialects;

/// <summary>
/// How one engine writes SQL: identifier quoting, parameters, paging, generated keys, savepoints and isolation levels.
/// The defaults are standard SQL; an engine overrides where it differs.
/// </summary>
public abstract class SqlDialect
{
    private SqlMethodTable? _methods;

    /// <summary>How an INSERT hands back the generated key.</summary>
    public virtual GeneratedKeyStyle GeneratedKeyStyle => GeneratedKeyStyle.Returning;

    /// <summary>Quotes an identifier so that no name can change the statement's meaning.</summary>
    public virtual string QuoteIdentifier(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>The placeholder written in SQL text for the parameter <paramref name="name"/> (<c>@name</c> by default).</summary>
    public virtual string ParameterPlaceholder(string name) => "@" + name;

    /// <summary>The name given to the driver's <c>DbParameter.ParameterName</c> for <paramref name="name"/>.</summary>
    public virtual string ParameterName(string name) => name;

    /// <summary>
    /// The driver's <c>DbParameter.ParameterName</c> for a parameter that Switchboard's own SQL writes as
    /// <see cref="ParameterPlaceholder"/>(<paramref name="name"/>); <see cref="ParameterName"/> by default. Raw SQL may
    /// write a parameter in any form its driver accepts, so raw SQL's parameters keep <see cref="ParameterName"/>.
    /// Asked once per statement shape, not per execution.
    /// </summary>
    /// <param name="name">The name without a marker (<c>key</c>, <c>p3</c>).</param>
    public virtual string GeneratedParameterName(string name) => ParameterName(name);

    /// <summary>Appends paging after the ORDER BY clause: <c>LIMIT n OFFSET m</c> by default.</summary>
    /// <param name="sql">The statement so far.</param>
    /// <param name="limit">The most rows to return, if any.</param>
    /// <param name="offset">The rows to skip, if any.</param>
    /// <param name="hasOrderBy">Whether the statement has an ORDER BY clause.</param>
    public virtual void AppendPaging(StringBuilder sql, long? limit, long? offset, bool hasOrderBy)
    {
        ArgumentNullException.ThrowIfNull(sql);
        if (limit is not null)
        {
            sql.Append(" LIMIT ").Append(limit.Value);
        }

        if (offset is not null)
        {
            sql.Append(" OFFSET ").Append(offset.Value);
        }
    }

    /// <summary>
    /// Writes an INSERT of one row; when <paramref name="generatedKey"/> is set, <see cref="DriverDataSource.ExecuteInsert"/>
    /// returns the new key (by default the statement's scalar result).
    /// </summary>
    /// <param name="table">The quoted table name.</param>
    /// <param name="columns">The quoted column names.</param>
    /// <param name="placeholders">The parameter placeholders, one per column.</param>
    /// <param name="generatedKey">The quoted name of a key the database generates, or null.</param>
    public virtual string Insert(string table, IReadOnlyList<string> columns, IReadOnlyList<string> placeholders, string? generatedKey)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(placeholders);
        var sql = new StringBuilder("INSERT INTO ").Append(table);
        if (columns.Count == 0)
        {
            sql.Append(" DEFAULT VALUES");
        }
        else
        {
            sql.Append(" (").AppendJoin(", ", columns).Append(") VALUES (").AppendJoin(", ", placeholders).Append(')');
        }

        if (generatedKey is not null)
        {
            switch (GeneratedKeyStyle)
            {
                case GeneratedKeyStyle.Returning:
                    sql.Append(" RETURNING ").Append(generatedKey);
                    break;
                case GeneratedKeyStyle.FollowingSelect when LastInsertIdSql is not null:
                    sql.Append("; ").Append(LastInsertIdSql);
                    break;
                default:
                    throw new NotSupportedException($"{GetType().Name} must override Insert for generated keys.");
            }
        }

        return sql.ToString();
    }

    /// <summary>The most parameters one command may carry; <c>InsertAll</c> splits its rows into batches within it.</summary>
    /// <value>999 by default (the lowest limit of a common engine); each engine states its own.</value>
    public virtual int MaxParameters => 999;

    /// <summary>
    /// The most values of one IN list that are sent as a parameter each. A longer list is sent as one parameter that the
    /// statement reads as rows (<see cref="ListParameterSql"/>), which keeps the statement within
    /// <see cref="MaxParameters"/> and its text the same whatever the count; when the engine cannot read the values so,
    /// they stay a parameter each.
    /// </summary>
    /// <value>No limit by default: every value is a parameter of its own.</value>
    public virtual int MaxInListParameters => int.MaxValue;

    /// <summary>
    /// The most items the engine takes in one IN list (Oracle: 1,000). A longer list of a column's values is written as
    /// several IN lists joined by OR; raw SQL's <c>IN @list</c>, whose column is not known, is refused with an error
    /// that names the list and the limit.
    /// </summary>
    /// <value>No limit by default.</value>
    public virtual int MaxInListItems => int.MaxValue;

    /// <summary>
    /// The query written inside <c>IN ( )</c> that reads the values of one parameter as rows of one column
    /// (<c>SELECT value FROM json_each(@p)</c>), or null when the engine cannot read these values so; they are then a
    /// parameter each. Asked for lists longer than <see cref="MaxInListParameters"/>. Null by default.
    /// </summary>
    /// <param name="placeholder">The parameter as written in the SQL text.</param>
    /// <param name="values">The list's values as the driver gets them (after <see cref="ToParameterValue"/>), none null.</param>
    public virtual string? ListParameterSql(string placeholder, IReadOnlyList<object> values) => null;

    /// <summary>
    /// The value of the parameter that <see cref="ListParameterSql"/> reads: an array the driver sends whole, or text the
    /// engine parses. Called on every run, with the values of that run.
    /// </summary>
    /// <param name="values">The list's values as the driver gets them (after <see cref="ToParameterValue"/>), none null.</param>
    /// <exception cref="NotSupportedException">The engine has no list parameter (the default), or cannot hold these values in one.</exception>
    public virtual object ListParameterValue(IReadOnlyList<object> values) =>
        throw new NotSupportedException($"{GetType().Name} sends no list as one parameter.");

    /// <summary>The most rows one multi-row INSERT may list.</summary>
    /// <value>No limit by default beyond <see cref="MaxParameters"/>.</value>
    public virtual int MaxRowsPerInsert => int.MaxValue;

    /// <summary>
    /// Whether one command may hold several statements separated by <c>;</c>, each returning its own result:
    /// <c>InsertAll</c> then sends a batch of single-row INSERTs that each return their generated key, so that every key
    /// is known to belong to its row. When false, each such row is inserted by a statement of its own.
    /// </summary>
    /// <value>True by default.</value>
    public virtual bool SupportsStatementBatches => true;

    /// <summary>
    /// Writes an INSERT of several rows with no key read back: <c>INSERT INTO t (a, b) VALUES (@a0, @b0), (@a1, @b1)</c>
    /// by default.
    /// </summary>
    /// <param name="table">The quoted table name.</param>
    /// <param name="columns">The quoted column names; at least one.</param>
    /// <param name="rows">Each row's parameter placeholders, one per column.</param>
    public virtual string InsertRows(string table, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        var sql = new StringBuilder("INSERT INTO ").Append(table).Append(" (").AppendJoin(", ", columns).Append(") VALUES ");
        for (var i = 0; i < rows.Count; i++)
        {
            sql.Append(i == 0 ? "(" : ", (").AppendJoin(", ", rows[i]).Append(')');
        }

        return sql.ToString();
    }

    /// <summary>
    /// The SUM of a column, in a type wide enough that the engine does not fail or wrap before Switchboard checks the
    /// result against the property's type: <c>SUM(x)</c> by default, which engines already widen for integers.
    /// </summary>
    /// <param name="operand">The quoted column.</param>
    /// <param name="type">The property's type, without Nullable.</param>
    public virtual string Sum(string operand, Type type) => "SUM(" + operand + ")";

    /// <summary>
    /// Whether the engine's SUM, MIN and MAX of a column holding <paramref name="type"/> values give what .NET computes
    /// from the same values. When false, Switchboard reads the column's values and computes the aggregate itself (SQLite
    /// keeps decimals and offsets as text or floating point, which it would sum inexactly or compare as text).
    /// </summary>
    /// <param name="type">The property's type, without Nullable.</param>
    /// <returns>True by default.</returns>
    public virtual bool AggregatesExactly(Type type) => true;

    /// <summary>A statement returning the key generated by the last INSERT on the same connection, or null when the engine has none.</summary>
    public virtual string? LastInsertIdSql => null;

    /// <summary>Creates a savepoint.</summary>
    public virtual string SavepointSql(string name) => "SAVEPOINT " + name;

    /// <summary>Rolls back to a savepoint.</summary>
    public virtual string RollbackToSavepointSql(string name) => "ROLLBACK TO SAVEPOINT " + name;

    /// <summary>Releases a savepoint, or null where the engine has no such statement.</summary>
    public virtual string? ReleaseSavepointSql(string name) => "RELEASE SAVEPOINT " + name;

    /// <summary>Whether the engine can run a transaction at <paramref name="level"/> (at that level or a stricter one).</summary>
    public virtual bool SupportsIsolationLevel(IsolationLevel level) =>
        level is IsolationLevel.ReadUncommitted or IsolationLevel.ReadCommitted or IsolationLevel.RepeatableRead or IsolationLevel.Serializable;

    /// <summary>The character used to escape <c>%</c> and <c>_</c> in LIKE patterns (written as an ESCAPE clause).</summary>
    public virtual char LikeEscape => '\\';

    /// <summary>
    /// Escapes the characters LIKE treats specially in <paramref name="text"/> with <see cref="LikeEscape"/>, so that it
    /// matches literally: <c>%</c>, <c>_</c> and the escape character itself by default.
    /// </summary>
    public virtual string EscapeLike(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escape = LikeEscape.ToString();
        return text.Replace(escape, escape + escape, StringComparison.Ordinal)
            .Replace("%", escape + "%", StringComparison.Ordinal)
            .Replace("_", escape + "_", StringComparison.Ordinal);
    }

    /// <summary>
    /// Writes a test that <paramref name="operand"/> contains, starts with or ends with a text, comparing characters
    /// exactly as C#'s ordinal comparison does: case-sensitive, whatever the column's collation. By default LIKE with the
    /// text escaped, which is ordinal where LIKE is case-sensitive (PostgreSQL, and Oracle under its default
    /// <c>NLS_COMP=BINARY</c>); engines whose LIKE follows a case-insensitive collation override it.
    /// </summary>
    /// <param name="match">Which part of the text must match.</param>
    /// <param name="operand">The SQL of the text searched (a quoted column, or a function of one).</param>
    /// <param name="pattern">The placeholder of the parameter holding <see cref="OrdinalTextPattern"/> of the text searched for.</param>
    public virtual string OrdinalTextMatch(TextMatch match, string operand, string pattern) =>
        operand + " LIKE " + pattern + " ESCAPE '" + LikeEscape + "'";

    /// <summary>
    /// The value of the parameter that <see cref="OrdinalTextMatch"/> compares with: by default the LIKE pattern matching
    /// <paramref name="text"/> literally. It depends on the text alone; the SQL around it is written once per query shape.
    /// </summary>
    /// <param name="match">Which part of the text must match.</param>
    /// <param name="text">The text searched for; never empty.</param>
    public virtual string OrdinalTextPattern(TextMatch match, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return LikePattern(match, text);
    }

    /// <summary>The LIKE pattern matching <paramref name="text"/> literally, with <c>%</c> where <paramref name="match"/> allows more text.</summary>
    protected string LikePattern(TextMatch match, string text)
    {
        var escaped = EscapeLike(text);
        return match switch
        {
            TextMatch.Contains => "%" + escaped + "%",
            TextMatch.StartsWith => escaped + "%",
            _ => "%" + escaped,
        };
    }

    /// <summary>
    /// The .NET methods and properties a <c>Where</c> predicate may call on this engine, with their SQL: Switchboard's own,
    /// then this dialect's (<see cref="AddMethodTranslations"/>). Built once, on first use.
    /// </summary>
    internal SqlMethodTable Methods => _methods ?? InitializeMethods();

    /// <summary>
    /// Adds or replaces translations of .NET methods and properties for this engine (a function SQL has here, such as
    /// <c>DateTime.Year</c>). Called once, after Switchboard's own translations are in <paramref name="methods"/>. Does
    /// nothing by default.
    /// </summary>
    /// <param name="methods">The table to add to.</param>
    protected virtual void AddMethodTranslations(SqlMethodTable methods)
    {
    }

    private SqlMethodTable InitializeMethods()
    {
        var methods = new SqlMethodTable();
        Querying.BuiltInMethods.AddTo(methods);
        AddMethodTranslations(methods);
        methods.Freeze();
        return Interlocked.CompareExchange(ref _methods, methods, null) ?? methods;
    }

    /// <summary>The length of a text in characters (<c>LENGTH(x)</c> by default), as C#'s <c>string.Length</c> in a query.</summary>
    /// <param name="operand">The SQL of the text.</param>
    public virtual string TextLength(string operand) => "LENGTH(" + operand + ")";

    /// <summary>
    /// Adjusts a parameter once its name and value are set, where the driver would infer a type that loses data
    /// (SqlClient sends a <see cref="DateTime"/> as the 3 ms <c>datetime</c> unless told <c>datetime2</c>). Does nothing by default.
    /// </summary>
    public virtual void PrepareParameter(DbParameter parameter)
    {
    }

    /// <summary>
    /// Called when a command used before gets parameters that the driver would send with other types (or a different
    /// number of them). A driver that keeps a prepared statement with the command must forget it here, or the new
    /// values are read by the server as bytes of the old types. Does nothing by default.
    /// </summary>
    /// <param name="command">The command, with its new parameters bound.</param>
    public virtual void OnParameterTypesChanged(DbCommand command)
    {
    }

    /// <summary>
    /// Why the engine cannot store values of <paramref name="type"/> in a column (a model property of that type is then
    /// refused when the model is first used), or null when it can. Name the engine and the fix. Null by default.
    /// </summary>
    /// <param name="type">The property's type, without Nullable (an enum arrives as its underlying type).</param>
    public virtual string? CannotStoreType(Type type) => null;

    /// <summary>
    /// Why a column of the declared type <paramref name="columnType"/> (as the catalog spells it) would not keep the
    /// values of a property of <paramref name="type"/> (SQLite turns a decimal in a NUMERIC column into a 15-digit REAL),
    /// or null when it keeps them. The model is then refused when first used. Name the engine and the fix. Null by default.
    /// </summary>
    /// <param name="type">The property's type, without Nullable (an enum arrives as its underlying type).</param>
    /// <param name="columnType">The column's declared type.</param>
    public virtual string? CannotStoreInColumn(Type type, string columnType) => null;

    /// <summary>
    /// Why a column of the declared type <paramref name="columnType"/> would not keep <paramref name="value"/> exactly
    /// (SQLite keeps 15 significant digits of a decimal in a <c>NUMERIC(10,2)</c> column), or null when it keeps it. A
    /// record's value is then refused, naming the property, before anything is sent. Asked only for columns whose type the
    /// catalog gave (<c>naming: auto</c>). Never repeat the value itself. Null by default.
    /// </summary>
    /// <param name="value">The property's value, not null.</param>
    /// <param name="columnType">The column's declared type.</param>
    public virtual string? CannotStoreValueInColumn(object value, string columnType) => null;

    /// <summary>
    /// Why the engine cannot store <paramref name="value"/> (NaN where the engine has none), or null when it can; the
    /// parameter is then refused, named, before anything is sent. Never repeat the value itself. Null by default.
    /// </summary>
    /// <param name="value">The value as the caller gave it (enums already converted, DateTime already in UTC).</param>
    public virtual string? CannotStoreValue(object value) => null;

    /// <summary>Converts a parameter value to what the driver accepts (enums are already converted to their underlying type).</summary>
    public virtual object ToParameterValue(object value) => value;
}
