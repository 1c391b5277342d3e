using System.Data.Common;
using Switchboard.Dialects;

namespace Switchboard.Querying;

/// <summary>
/// The SQL of one query shape for captured values of one <see cref="ValueShape"/> each, and how each of its parameters
/// is computed from the captured values of a run. Binds a run's values without building a list of pairs.
/// </summary>
internal sealed class CachedStatement : IRecordParameters
{
    private readonly int[] _captures;
    private readonly long[] _shapes;
    private readonly ParameterBinding[] _bindings;
    private readonly string[] _names;
    private readonly bool _hasItems;
    private string[]? _boundNames;

    public CachedStatement(string sql, int[] captures, long[] shapes, ParameterBinding[] bindings, string[] names)
    {
        Sql = sql;
        _captures = captures;
        _shapes = shapes;
        _bindings = bindings;
        _names = names;
        _hasItems = Array.Exists(bindings, b => b.IsItem);
    }

    /// <summary>One string instance for every run, so that the connection's command cache finds its command by reference.</summary>
    public string Sql { get; }

    /// <summary>Whether the SQL was written for values like these (see <see cref="ValueShape"/>).</summary>
    public bool Fits(object?[] values)
    {
        for (var i = 0; i < _captures.Length; i++)
        {
            var capture = _captures[i];
            if (capture >= values.Length || ValueShape.Of(values[capture]) != _shapes[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Binds the parameters computed from a run's captured values (<paramref name="record"/> is the array of them).</summary>
    public void Bind(DbCommand command, SqlDialect dialect, object record)
    {
        var values = (object?[])record;
        var items = _hasItems ? new object?[]?[values.Length] : null;

        // The driver's own names, worked out once: a statement belongs to one mapping, so to one dialect. Two threads
        // that both work them out write the same names.
        var names = _boundNames ??= Array.ConvertAll(_names, n => dialect.GeneratedParameterName(ParameterBinder.WithoutMarker(n)));
        for (var i = 0; i < _bindings.Length; i++)
        {
            ParameterBinder.SetExact(command, dialect, i, names[i], _bindings[i].Value(values, items));
        }

        ParameterBinder.TrimTo(command, dialect, _bindings.Length);
    }
}
