using Switchboard.Querying;

namespace Switchboard;

// A query's statement from the shape cache of its mapping: translated once per shape, with this run's captured values.
public sealed partial class Query<T>
{
    /// <summary>
    /// The SQL and parameters of this query on <paramref name="connection"/>. A query of expression conditions comes
    /// from the mapping's shape cache; one with raw SQL or an object of equalities is built each time.
    /// </summary>
    private (string Sql, CommandParameters Parameters) Statement(Connection connection, bool count)
    {
        var mapping = connection.Mappings.For<T>();
        if (Array.TrueForAll(_where, static clause => clause.Predicate is not null)
            && mapping.QueryShapes.Get(new ShapeSource(this, connection, count)) is var (statement, values))
        {
            return (statement.Sql, CommandParameters.ForRecord(values, statement));
        }

        var sql = Build(connection, count, out var parameters);
        return (sql, CommandParameters.From(parameters.Values.ToArray()));
    }

    /// <summary>Everything of this query that changes its SQL, for the shape cache.</summary>
    private void WalkShape(ref ShapeWalker walker, bool count)
    {
        walker.Int(count ? 1 : 0);
        walker.Int(_limit ?? -1);
        walker.Int(_offset ?? -1);
        walker.Int(_where.Length);
        foreach (var clause in _where)
        {
            walker.Lambda(clause.Predicate!);
        }

        walker.Int(_order.Length);
        foreach (var order in _order)
        {
            if (order.Key is not null)
            {
                walker.Lambda(order.Key);
            }
            else
            {
                walker.Literal(order.Name);
            }

            walker.Int(order.Descending ? 1 : 0);
        }
    }

    private readonly struct ShapeSource(Query<T> query, Connection connection, bool count) : IShapeSource
    {
        public void Walk(ref ShapeWalker walker) => query.WalkShape(ref walker, count);

        public (string Sql, SqlParameters Parameters) Translate(ShapeRecorder recorder)
        {
            var sql = query.Build(connection, count, out var parameters, recorder);
            return (sql, parameters);
        }
    }
}
