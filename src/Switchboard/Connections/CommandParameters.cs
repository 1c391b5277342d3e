namespace Switchboard;

/// <summary>
/// The parameters of one statement as the caller gave them — an anonymous object, a dictionary, an array of pairs —
/// or a single named value, carried without allocating.
/// </summary>
internal readonly struct CommandParameters
{
    private CommandParameters(object? source, string? singleName, IRecordParameters? plan = null)
    {
        Source = source;
        SingleName = singleName;
        Plan = plan;
    }

    public static CommandParameters None => default;

    /// <summary>The object, dictionary or pair array; for a single parameter, its value.</summary>
    public object? Source { get; }

    /// <summary>The driver's name of the single parameter (as <see cref="Dialects.SqlDialect.GeneratedParameterName"/> gives it), when there is exactly one given this way.</summary>
    public string? SingleName { get; }

    /// <summary>For a record's statement: the plan binds the record's column values itself.</summary>
    public IRecordParameters? Plan { get; }

    public static CommandParameters From(object? source) => new(source, null);

    public static CommandParameters ForRecord(object record, IRecordParameters plan) => new(record, null, plan);

    /// <summary>The one parameter of a generated statement; <paramref name="name"/> is the driver's name for it, set as it is.</summary>
    public static CommandParameters Single(string name, object? value) => new(value, name);
}

/// <summary>Binds the parameters of a statement from a record's properties, with no intermediate collection.</summary>
internal interface IRecordParameters
{
    void Bind(System.Data.Common.DbCommand command, Dialects.SqlDialect dialect, object record);
}
