using System.Linq.Expressions;

namespace Switchboard.Querying;

/// <summary>
/// Follows one translation of a query shape: which captured values it read (by their place in the shape) and where
/// each parameter's value comes from, so that the SQL written can serve later runs of the shape.
/// </summary>
internal sealed class ShapeRecorder(QueryShape shape, object?[] roots, Dictionary<Expression, int> positions, Dictionary<ConstantExpression, int> rootIndexes)
{
    private readonly Dictionary<int, object?> _read = [];
    private readonly List<ParameterBinding> _bindings = [];

    /// <summary>False when a value was read from a node outside the shape: the SQL then serves this run only.</summary>
    public bool Reusable { get; private set; } = true;

    /// <summary>Reads a part that does not depend on the record, as capture number so-and-so of the shape.</summary>
    public (int Capture, object? Value) Capture(Expression part)
    {
        if (!positions.TryGetValue(part, out var position))
        {
            // A node the translation made itself (u.IsActive as u.IsActive == true): its value is part of the shape.
            Reusable &= part is ConstantExpression;
            return (-1, ExpressionParts.Evaluate(part));
        }

        var capture = shape.CaptureAt(position, part, rootIndexes);
        var value = shape.Readers[capture].Read(roots);
        _read[capture] = value;
        return (capture, value);
    }

    public void Bind(ParameterBinding binding) => _bindings.Add(binding);

    /// <summary>The statement written, for values of the same <see cref="ValueShape"/> as those read here.</summary>
    public CachedStatement Statement(string sql, SqlParameters parameters)
    {
        var captures = _read.Keys.Order().ToArray();
        var shapes = captures.Select(c => ValueShape.Of(_read[c])).ToArray();
        var names = parameters.Values.Select(p => p.Key).ToArray();
        if (names.Length != _bindings.Count)
        {
            Reusable = false;
        }

        return new CachedStatement(sql, captures, shapes, [.. _bindings], names);
    }

    /// <summary>This run's captured values, indexed by capture number.</summary>
    public object?[] Values()
    {
        var values = new object?[shape.Readers.Length];
        foreach (var (capture, value) in _read)
        {
            values[capture] = value;
        }

        return values;
    }
}
