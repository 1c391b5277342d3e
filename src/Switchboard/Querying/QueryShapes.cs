using System.Collections.Concurrent;

namespace Switchboard.Querying;

/// <summary>Something whose shape a <see cref="ShapeWalker"/> can read: a query about to run.</summary>
internal interface IShapeSource
{
    /// <summary>Reads every part of the query that can change its SQL, in one fixed order.</summary>
    void Walk(ref ShapeWalker walker);

    /// <summary>Writes the query's SQL, reading its values through <paramref name="recorder"/>.</summary>
    (string Sql, SqlParameters Parameters) Translate(ShapeRecorder recorder);
}

/// <summary>
/// The SQL of the query shapes run on one mapping (one model on one connection), as Dapper keeps a statement per
/// identity and EF Core a query per expression shape: a shape is translated once, and later runs only read their
/// captured values. Each run finds the same SQL string instance, which the connection's command cache finds by reference.
/// </summary>
internal sealed class QueryShapes
{
    /// <summary>Queries built with varying constants must not grow it without bound; when full it starts again.</summary>
    private const int Capacity = 512;

    private readonly ConcurrentDictionary<int, QueryShape> _shapes = new();
    private QueryShape? _last;

    public int Count => _shapes.Count;

    /// <summary>The statement for this run of the query and its captured values, or null when its shape cannot be cached.</summary>
    public (CachedStatement Statement, object?[] Values)? Get<TSource>(TSource source)
        where TSource : IShapeSource
    {
        // The shape run last is the likeliest: compare with it first, which reads the tree once instead of twice.
        if (_last is { } last && Matches(last, source, out var lastRoots))
        {
            var values = last.Read(lastRoots);
            return last.Find(values) is { } statement ? (statement, values) : Translate(last, source);
        }

        var hasher = ShapeWalker.ForHash();
        source.Walk(ref hasher);
        if (!hasher.Readable)
        {
            return null;
        }

        var hash = hasher.Hash;
        _shapes.TryGetValue(hash, out var head);
        for (var shape = head; shape is not null; shape = shape.Next)
        {
            if (Matches(shape, source, out var roots))
            {
                _last = shape;
                var values = shape.Read(roots);
                return shape.Find(values) is { } statement ? (statement, values) : Translate(shape, source);
            }
        }

        var recorder = ShapeWalker.ForRecord();
        source.Walk(ref recorder);
        if (!recorder.Readable)
        {
            return null;
        }

        var added = new QueryShape(hash, recorder.Tokens, recorder.RootCount) { Next = head };
        if (_shapes.Count >= Capacity)
        {
            _shapes.Clear();
        }

        _shapes[hash] = added;
        _last = added;
        return Translate(added, source, recorder);
    }

    private static bool Matches<TSource>(QueryShape shape, TSource source, out object?[] roots)
        where TSource : IShapeSource
    {
        var matcher = ShapeWalker.ForMatch(shape.Tokens, shape.RootCount);
        source.Walk(ref matcher);
        roots = matcher.Roots;
        return matcher.Readable && matcher.Complete && matcher.RootCount == shape.RootCount;
    }

    private static (CachedStatement, object?[])? Translate<TSource>(QueryShape shape, TSource source)
        where TSource : IShapeSource
    {
        var walker = ShapeWalker.ForRecord();
        source.Walk(ref walker);
        return walker.Readable ? Translate(shape, source, walker) : null;
    }

    private static (CachedStatement, object?[]) Translate<TSource>(QueryShape shape, TSource source, ShapeWalker walker)
        where TSource : IShapeSource
    {
        var recorder = new ShapeRecorder(shape, walker.Roots, walker.Positions, walker.RootIndexes);
        var (sql, parameters) = source.Translate(recorder);
        var statement = recorder.Statement(sql, parameters);
        if (recorder.Reusable)
        {
            shape.Add(statement);
        }

        return (statement, recorder.Values());
    }
}
