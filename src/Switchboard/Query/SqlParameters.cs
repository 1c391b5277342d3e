namespace Switchboard.Query;

/// <summary>The parameters of a statement being built, with generated names that cannot collide with the caller's.</summary>
internal sealed class SqlParameters
{
    public List<KeyValuePair<string, object?>> Values { get; } = [];

    /// <summary>Adds a value and returns its generated name.</summary>
    public string Add(object? value)
    {
        var name = "sb_w" + Values.Count;
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
