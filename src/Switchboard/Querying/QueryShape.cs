using System.Linq.Expressions;

namespace Switchboard.Querying;

/// <summary>
/// One query shape on one mapping: its recorded tokens, the readers of its captured values, and the statements written
/// for it, one per <see cref="ValueShape"/> of those values that changes the SQL (a captured null, a list's length).
/// </summary>
internal sealed class QueryShape(int hash, object?[] tokens, int rootCount)
{
    /// <summary>Enough for the variants a shape really has (null or not, a few list lengths); beyond, runs are translated afresh.</summary>
    private const int MaxStatements = 16;

    private readonly Lock _lock = new();

    public int Hash { get; } = hash;

    public object?[] Tokens { get; } = tokens;

    public int RootCount { get; } = rootCount;

    /// <summary>The next shape with the same hash.</summary>
    public QueryShape? Next { get; init; }

    /// <summary>The readers of the captured values, by capture number; replaced whole when one is added.</summary>
    public CapturedValue[] Readers { get; private set; } = [];

    /// <summary>The statements written so far; replaced whole when one is added.</summary>
    public CachedStatement[] Statements { get; private set; } = [];

    /// <summary>The capture number of the part at <paramref name="position"/>, adding its reader the first time.</summary>
    public int CaptureAt(int position, Expression part, IReadOnlyDictionary<ConstantExpression, int> roots)
    {
        var readers = Readers;
        for (var i = 0; i < readers.Length; i++)
        {
            if (readers[i].Position == position)
            {
                return i;
            }
        }

        lock (_lock)
        {
            readers = Readers;
            for (var i = 0; i < readers.Length; i++)
            {
                if (readers[i].Position == position)
                {
                    return i;
                }
            }

            Readers = [.. readers, CapturedValue.For(position, part, roots)];
            return readers.Length;
        }
    }

    public void Add(CachedStatement statement)
    {
        lock (_lock)
        {
            if (Statements.Length < MaxStatements)
            {
                Statements = [.. Statements, statement];
            }
        }
    }

    /// <summary>This run's captured values, read from the constants of its tree.</summary>
    public object?[] Read(object?[] roots)
    {
        var readers = Readers;
        var values = new object?[readers.Length];
        for (var i = 0; i < readers.Length; i++)
        {
            values[i] = readers[i].Read(roots);
        }

        return values;
    }

    /// <summary>The statement written for values like these, or null.</summary>
    public CachedStatement? Find(object?[] values)
    {
        foreach (var statement in Statements)
        {
            if (statement.Fits(values))
            {
                return statement;
            }
        }

        return null;
    }
}
