using System.Collections;
using System.Globalization;
using System.Text;
using Switchboard.Dialects;

namespace Switchboard.Querying;

/// <summary>
/// How an IN list is written within the engine's limits: a parameter per value up to
/// <see cref="SqlDialect.MaxInListParameters"/>, one parameter read as rows past it (when the engine can read the values
/// so), and, where one IN list takes only so many items (<see cref="SqlDialect.MaxInListItems"/>), several lists joined by OR.
/// </summary>
internal static class InLists
{
    /// <summary>
    /// The list's values as the driver gets them when they go as one parameter (past
    /// <see cref="SqlDialect.MaxInListParameters"/>, and the engine can read them so), or null when each is a parameter.
    /// Write the parameter's value with <see cref="SqlDialect.ListParameterValue"/> and the SQL inside <c>IN ( )</c> with
    /// <see cref="SqlDialect.ListParameterSql"/>, both from these values.
    /// </summary>
    /// <param name="dialect">The engine's dialect.</param>
    /// <param name="values">The list's values as the caller gave them, none null.</param>
    public static object[]? AsOneParameter(SqlDialect dialect, IReadOnlyList<object?> values)
    {
        if (values.Count <= dialect.MaxInListParameters)
        {
            return null;
        }

        var converted = new object[values.Count];
        for (var i = 0; i < converted.Length; i++)
        {
            converted[i] = ParameterBinder.ToDbValue(dialect, values[i]);
        }

        return dialect.ListParameterSql("@p", converted) is null ? null : converted;
    }

    /// <summary>The one parameter's value for the non-null values of <paramref name="collection"/>.</summary>
    public static object OneParameterValue(SqlDialect dialect, object? collection)
    {
        var values = new List<object>(collection is ICollection known ? known.Count : 0);
        foreach (var item in (IEnumerable)collection!)
        {
            if (item is not null)
            {
                values.Add(ParameterBinder.ToDbValue(dialect, item));
            }
        }

        return dialect.ListParameterValue(values);
    }

    /// <summary>
    /// Appends <c>item IN (p1, p2)</c>; past <see cref="SqlDialect.MaxInListItems"/>, <c>(item IN (...) OR item IN (...))</c>.
    /// </summary>
    public static void AppendList(StringBuilder sql, string item, IReadOnlyList<string> placeholders, SqlDialect dialect)
    {
        var most = Math.Max(1, dialect.MaxInListItems);
        var chunked = placeholders.Count > most;
        sql.Append(chunked ? "(" : "");
        for (var start = 0; start < placeholders.Count; start += most)
        {
            sql.Append(start == 0 ? "" : " OR ").Append(item).Append(" IN (");
            for (var i = start; i < Math.Min(placeholders.Count, start + most); i++)
            {
                sql.Append(i == start ? "" : ", ").Append(placeholders[i]);
            }

            sql.Append(')');
        }

        sql.Append(chunked ? ")" : "");
    }

    /// <summary>
    /// Why a raw SQL list cannot be sent (more items than the engine takes in one IN list, which cannot be split since its
    /// column is not known), or null when it can.
    /// </summary>
    public static string? RawListTooLong(SqlDialect dialect, string name, int count) =>
        count <= dialect.MaxInListItems
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"The list parameter '{name}' has {count:N0} values, and this engine takes at most {dialect.MaxInListItems:N0} in one IN list. Split the list across statements, or filter with Where(x => list.Contains(x.Column)), which joins IN lists of {dialect.MaxInListItems:N0} with OR.");
}
