namespace Switchboard;

/// <summary>
/// The parameters of one statement as the caller gave them — an anonymous object, a dictionary, an array of pairs —
/// or a single named value, carried without allocating.
/// </summary>
internal readonly struct CommandParameters
{
    private CommandParameters(object? source, string? singleName)
    {
        Source = source;
        SingleName = singleName;
    }

    public static CommandParameters None => default;

    /// <summary>The object, dictionary or pair array; for a single parameter, its value.</summary>
    public object? Source { get; }

    /// <summary>The name of the single parameter, when there is exactly one given this way.</summary>
    public string? SingleName { get; }

    public static CommandParameters From(object? source) => new(source, null);

    public static CommandParameters Single(string name, object? value) => new(value, name);
}
