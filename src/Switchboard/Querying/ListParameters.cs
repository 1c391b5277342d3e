using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text;
using Switchboard.Dialects;

namespace Switchboard.Querying;

/// <summary>
/// Expands a list given as one parameter of raw SQL (<c>IN @ids</c> with an array, a list or a set) into one parameter
/// per value: <c>IN (@ids_0, @ids_1)</c>, the same on every engine. A string and a <c>byte[]</c> are single values. A
/// list longer than <see cref="SqlDialect.MaxInListParameters"/> becomes one parameter read as rows (<see cref="InLists"/>).
/// </summary>
/// <remarks>
/// Written <c>IN @ids</c>, the parentheses are added; written <c>IN (@ids)</c>, they are kept. Anywhere else (PostgreSQL's
/// <c>= ANY(@ids)</c>, an array column's <c>VALUES (@tags)</c>) the collection stays one parameter, bound whole by the
/// driver. Text inside quotes and comments is never read as a parameter. An empty list is refused: SQL has no empty IN list, and <c>NOT IN</c> of nothing would
/// match no row instead of every row.
/// </remarks>
internal static class ListParameters
{
    private static readonly ConcurrentDictionary<Type, bool> MayHoldList = new();

    /// <summary>Whether a parameter value is a list to expand rather than one value.</summary>
    public static bool IsList(object? value) => value is IEnumerable and not string and not byte[] and not char[];

    /// <summary>The statement and parameters with every list parameter expanded; the same ones when there is none.</summary>
    /// <exception cref="ArgumentException">A list parameter used in the statement is empty.</exception>
    public static (string Sql, CommandParameters Parameters) Expand(string sql, CommandParameters parameters, SqlDialect dialect)
    {
        TryExpand(ref sql, ref parameters, dialect);
        return (sql, parameters);
    }

    /// <summary>
    /// Rewrites <paramref name="sql"/> and <paramref name="parameters"/> when a parameter holding a list appears in the
    /// statement. Returns false, allocating nothing for an anonymous object whose properties cannot hold a list, otherwise.
    /// </summary>
    /// <exception cref="ArgumentException">A list parameter used in the statement is empty.</exception>
    public static bool TryExpand(ref string sql, ref CommandParameters parameters, SqlDialect dialect)
    {
        if (parameters.Plan is not null || parameters.SingleName is not null || parameters.Source is not { } source)
        {
            return false;
        }

        if (source is KeyValuePair<string, object?>[] array)
        {
            // A query's own parameters: look without allocating, since a list among them is rare.
            if (!Array.Exists(array, static pair => IsList(pair.Value)))
            {
                return false;
            }
        }
        else if (source is not IEnumerable<KeyValuePair<string, object?>> && !MayHoldList.GetOrAdd(source.GetType(), TypeMayHoldList))
        {
            return false;
        }

        var pairs = ParameterBinder.Enumerate(source).ToList();
        Dictionary<string, List<object?>>? lists = null;
        foreach (var (name, value) in pairs)
        {
            if (IsList(value))
            {
                lists ??= new(StringComparer.OrdinalIgnoreCase);
                lists[ParameterBinder.WithoutMarker(name)] = ((IEnumerable)value!).Cast<object?>().ToList();
            }
        }

        if (lists is null)
        {
            return false;
        }

        var marker = dialect.ParameterPlaceholder("x")[0];
        var bracketQuotes = dialect.QuoteIdentifier("x")[0] == '[';
        var names = new HashSet<string>(pairs.Select(p => ParameterBinder.WithoutMarker(p.Key)), StringComparer.OrdinalIgnoreCase);
        var expanded = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        var keptWhole = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var wholeValues = new Dictionary<string, object[]>(StringComparer.OrdinalIgnoreCase); // as the driver gets them
        var text = Rewrite(sql, marker, lists.ContainsKey, name =>
        {
            var values = lists[name];
            if (values.Count == 0)
            {
                throw new ArgumentException(
                    $"The parameter '{name}' is an empty list. SQL has no empty IN list, and NOT IN over nothing would match no row: test for an empty list before running the statement.",
                    nameof(parameters));
            }

            if (!wholeValues.TryGetValue(name, out var dbValues) && values.Count > dialect.MaxInListParameters && !values.Contains(null))
            {
                dbValues = InLists.AsOneParameter(dialect, values);
            }

            if (dbValues is not null)
            {
                // Past the engine's count of parameters per list: the whole list is one parameter, read as rows.
                if (!expanded.TryGetValue(name, out var whole))
                {
                    var wholeName = name + "_list";
                    while (names.Contains(wholeName))
                    {
                        wholeName += "_";
                    }

                    expanded[name] = whole = [wholeName];
                    wholeValues[name] = dbValues;
                }

                return [dialect.ListParameterSql(dialect.ParameterPlaceholder(whole[0]), dbValues)!];
            }

            if (InLists.RawListTooLong(dialect, name, values.Count) is { } tooLong)
            {
                throw new ArgumentException(tooLong, nameof(parameters));
            }

            if (!expanded.TryGetValue(name, out var placeholders))
            {
                placeholders = new string[values.Count];
                var stem = name + "_";
                while (Enumerable.Range(0, values.Count).Any(i => names.Contains(stem + i)))
                {
                    stem += "_";
                }

                for (var i = 0; i < values.Count; i++)
                {
                    placeholders[i] = stem + i;
                }

                expanded[name] = placeholders;
            }

            return placeholders.Select(dialect.ParameterPlaceholder);
        }, keptWhole, bracketQuotes);
        if (expanded.Count == 0)
        {
            return false;
        }

        var result = new List<KeyValuePair<string, object?>>(pairs.Count + 8);
        foreach (var pair in pairs)
        {
            var name = ParameterBinder.WithoutMarker(pair.Key);
            if (!expanded.TryGetValue(name, out var placeholders) || keptWhole.Contains(name))
            {
                result.Add(pair);
            }

            if (placeholders is not null && wholeValues.TryGetValue(name, out var whole))
            {
                result.Add(new(placeholders[0], dialect.ListParameterValue(whole)));
            }
            else if (placeholders is not null)
            {
                var values = lists[name];
                for (var i = 0; i < placeholders.Length; i++)
                {
                    result.Add(new(placeholders[i], values[i]));
                }
            }
        }

        sql = text;
        parameters = CommandParameters.From(result.ToArray());
        return true;
    }

    /// <summary>
    /// Copies <paramref name="sql"/>, replacing each <c>@name</c> outside quotes and comments for which
    /// <paramref name="expand"/> gives placeholders; a name inside <c>ANY(...)</c>/<c>ALL(...)</c> is kept and noted.
    /// </summary>
    private static string Rewrite(string sql, char marker, Func<string, bool> isList, Func<string, IEnumerable<string>> expand, HashSet<string> keptWhole, bool bracketQuotes)
    {
        var text = new StringBuilder(sql.Length + 32);
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            var end = c switch
            {
                '\'' or '"' or '`' => EndOfQuoted(sql, i, c),
                '[' when bracketQuotes => EndOfQuoted(sql, i, ']'),
                '-' when At(sql, i + 1) == '-' => sql.IndexOf('\n', i) is var newline and >= 0 ? newline : sql.Length,
                '/' when At(sql, i + 1) == '*' => sql.IndexOf("*/", i + 2, StringComparison.Ordinal) is var close and >= 0 ? close + 2 : sql.Length,
                _ => -1,
            };
            if (end > 0)
            {
                text.Append(sql, i, end - i);
                i = end;
                continue;
            }

            if ((c == marker || c == '@') && At(sql, i - 1) is var previous && previous != c && !IsNameChar(previous) && IsNameStart(At(sql, i + 1)))
            {
                var start = i + 1;
                var stop = start;
                while (IsNameChar(At(sql, stop)))
                {
                    stop++;
                }

                var name = sql[start..stop];
                if (isList(name))
                {
                    var inParentheses = LastNonSpace(text) == '(' && FirstNonSpace(sql, stop) == ')';
                    if (FollowsIn(text, inParentheses))
                    {
                        text.Append(inParentheses ? "" : "(").AppendJoin(", ", expand(name)).Append(inParentheses ? "" : ")");
                    }
                    else
                    {
                        // Not an IN list (= ANY(@ids), an array column's VALUES (@tags)): the driver binds the collection whole.
                        keptWhole.Add(name);
                        text.Append(sql, i, stop - i);
                    }

                    i = stop;
                    continue;
                }
            }

            text.Append(c);
            i++;
        }

        return text.ToString();
    }

    private static int EndOfQuoted(string sql, int start, char close)
    {
        var end = sql.IndexOf(close, start + 1);
        return end < 0 ? sql.Length : end + 1;
    }

    private static char At(string sql, int index) => index >= 0 && index < sql.Length ? sql[index] : '\0';

    private static bool IsNameStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static char LastNonSpace(StringBuilder text)
    {
        for (var i = text.Length - 1; i >= 0; i--)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                return text[i];
            }
        }

        return '\0';
    }

    private static char FirstNonSpace(string sql, int start)
    {
        for (var i = start; i < sql.Length; i++)
        {
            if (!char.IsWhiteSpace(sql[i]))
            {
                return sql[i];
            }
        }

        return '\0';
    }

    /// <summary>Whether the text so far ends with the keyword IN (then an opening parenthesis when <paramref name="inParentheses"/>).</summary>
    private static bool FollowsIn(StringBuilder text, bool inParentheses)
    {
        var end = text.Length - 1;
        while (end >= 0 && char.IsWhiteSpace(text[end]))
        {
            end--;
        }

        if (inParentheses)
        {
            end--;
            while (end >= 0 && char.IsWhiteSpace(text[end]))
            {
                end--;
            }
        }

        return end >= 1 && (text[end] is 'n' or 'N') && (text[end - 1] is 'i' or 'I') && (end < 2 || !IsNameChar(text[end - 2]));
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Parameter objects are anonymous types or user types whose public properties are kept by their use.")]
    private static bool TypeMayHoldList(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p =>
            p.PropertyType == typeof(object) || p.PropertyType.IsInterface
            || (typeof(IEnumerable).IsAssignableFrom(p.PropertyType) && p.PropertyType != typeof(string) && p.PropertyType != typeof(byte[])));
}
