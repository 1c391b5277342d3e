namespace Switchboard.Querying;

/// <summary>Where a parameter of a cached statement takes its value from on each run: the captured values of that run.</summary>
internal readonly struct ParameterBinding
{
    private readonly int _capture;
    private readonly int _item;
    private readonly Func<object?, object?>? _convert;
    private readonly object? _fixed;

    private ParameterBinding(int capture, int item, Func<object?, object?>? convert, object? fixedValue)
    {
        _capture = capture;
        _item = item;
        _convert = convert;
        _fixed = fixedValue;
    }

    /// <summary>Whether the value is an item of a captured collection (the statement's IN list).</summary>
    public bool IsItem => _item >= 0;

    /// <summary>The captured value itself.</summary>
    public static ParameterBinding Captured(int capture) => new(capture, -1, null, null);

    /// <summary>A function of the captured value (a LIKE pattern of a text).</summary>
    public static ParameterBinding Converted(int capture, Func<object?, object?> convert) => new(capture, -1, convert, null);

    /// <summary>The <paramref name="item"/>-th non-null value of a captured collection.</summary>
    public static ParameterBinding Item(int capture, int item) => new(capture, item, null, null);

    /// <summary>The same value on every run (part of the shape, not of a run).</summary>
    public static ParameterBinding Fixed(object? value) => new(-1, -1, null, value);

    /// <param name="values">The captured values of this run.</param>
    /// <param name="items">Each collection's non-null values, filled on first use.</param>
    public object? Value(object?[] values, object?[]?[]? items)
    {
        if (_capture < 0)
        {
            return _fixed;
        }

        if (_item >= 0)
        {
            var list = items![_capture] ??= ValueShape.NonNullItems(values[_capture]!);
            return list[_item];
        }

        return _convert is null ? values[_capture] : _convert(values[_capture]);
    }
}
