using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Switchboard;

/// <summary>The column names of a raw result, looked up case-insensitively; a name two columns share maps to no column.</summary>
internal sealed class ResultColumns
{
    private const int Ambiguous = -1;
    private readonly Dictionary<string, int> _ordinals;

    public ResultColumns(string[] names)
    {
        Names = names;
        _ordinals = new Dictionary<string, int>(names.Length, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Length; i++)
        {
            _ordinals[names[i]] = _ordinals.ContainsKey(names[i]) ? Ambiguous : i;
        }
    }

    public string[] Names { get; }

    public bool Contains(string name) => _ordinals.ContainsKey(name);

    /// <summary>The position of the column named <paramref name="name"/>, or -1 when there is none.</summary>
    /// <exception cref="InvalidOperationException">Several columns have that name.</exception>
    public int OrdinalOf(string name)
    {
        if (!_ordinals.TryGetValue(name, out var ordinal))
        {
            return -1;
        }

        if (ordinal == Ambiguous)
        {
            var positions = Enumerable.Range(0, Names.Length).Where(i => string.Equals(Names[i], name, StringComparison.OrdinalIgnoreCase));
            throw new InvalidOperationException(
                $"The result has several columns named '{name}' (positions {string.Join(", ", positions)}), so the name does not say which one to read. "
                + "Read them by position from QueryResult.Values, or give them distinct aliases in the SELECT (SELECT a.id AS a_id, b.id AS b_id).");
        }

        return ordinal;
    }
}

/// <summary>One row of a raw result, read by column name; every column is kept, and a shared name is refused rather than guessed.</summary>
internal sealed class ResultRow(ResultColumns columns, object?[] values) : IReadOnlyDictionary<string, object?>
{
    public int Count => values.Length;

    public IEnumerable<string> Keys => columns.Names;

    public IEnumerable<object?> Values => values;

    public object? this[string key] => columns.OrdinalOf(key) is var ordinal and >= 0
        ? values[ordinal]
        : throw new KeyNotFoundException($"The result has no column named '{key}'. Its columns are: {string.Join(", ", columns.Names)}.");

    public bool ContainsKey(string key) => columns.Contains(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        var ordinal = columns.OrdinalOf(key);
        value = ordinal >= 0 ? values[ordinal] : null;
        return ordinal >= 0;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < values.Length; i++)
        {
            yield return new(columns.Names[i], values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
