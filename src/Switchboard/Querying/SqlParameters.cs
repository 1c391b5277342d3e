namespace Switchboard.Querying;

/// <summary>The parameters of a statement being built, with generated names that cannot collide with the caller's.</summary>
/// <param name="prefix">The start of every generated name: one that appears nowhere in the caller's SQL or parameter names.</param>
internal sealed class SqlParameters(string prefix = SqlParameters.DefaultPrefix)
{
    public const string DefaultPrefix = "sb_w";

    public List<KeyValuePair<string, object?>> Values { get; } = [];

    /// <summary>
    /// <see cref="DefaultPrefix"/>, or <c>sb1_w</c>, <c>sb2_w</c>... when the caller's text holds it: no generated name
    /// (prefix + number) can then equal or be read as a name the caller wrote, whatever it is.
    /// </summary>
    public static string PrefixAvoiding(IReadOnlyCollection<string> callerTexts)
    {
        var prefix = DefaultPrefix;
        for (var n = 1; callerTexts.Any(text => text.Contains(prefix, StringComparison.OrdinalIgnoreCase)); n++)
        {
            prefix = "sb" + n + "_w";
        }

        return prefix;
    }

    /// <summary>Adds a value and returns its generated name.</summary>
    public string Add(object? value)
    {
        var name = prefix + Values.Count;
        Values.Add(new(name, value));
        return name;
    }

    public void AddNamed(string name, object? value)
    {
        foreach (var existing in Values)
        {
            if (string.Equals(existing.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"The parameter '{name}' is given twice in one query. Give each raw Where fragment its own parameter names.", nameof(name));
            }
        }

        Values.Add(new(name, value));
    }
}
