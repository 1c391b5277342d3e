using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Text;
using Switchboard.Querying;
using Switchboard.Records;
using Switchboard.Routing;

namespace Switchboard;

/// <summary>
/// A query over a model, built with <c>Where</c>, <c>OrderBy</c>, <c>Limit</c> and <c>Offset</c> and run by <c>All</c>,
/// <c>First</c>, <c>Count</c> or <c>Exists</c>. Each call returns a new query; a query can be run many times.
/// </summary>
/// <typeparam name="T">The model.</typeparam>
public sealed partial class Query<T>
    where T : ActiveRecord<T>, new()
{
    private readonly string? _connectionName;
    private readonly Clause[] _where;
    private readonly Order[] _order;
    private readonly long? _limit;
    private readonly long? _offset;
    private readonly bool _onPrimary;

    internal Query(string? connectionName)
        : this(connectionName, [], [], null, null)
    {
    }

    private Query(string? connectionName, Clause[] where, Order[] order, long? limit, long? offset, bool onPrimary = false)
    {
        _onPrimary = onPrimary;
        _connectionName = connectionName;
        _where = where;
        _order = order;
        _limit = limit;
        _offset = offset;
    }

    /// <summary>Runs this query on the named connection, whatever scope or attribute says.</summary>
    public Query<T> Using(string connectionName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        return new(connectionName, _where, _order, _limit, _offset, _onPrimary);
    }

    /// <summary>Runs this query on the primary, never on a replica, even where routing would send it to one (it must see the latest writes).</summary>
    public Query<T> OnPrimary() => new(_connectionName, _where, _order, _limit, _offset, onPrimary: true);

    /// <summary>How routing treats this query's statements: reads, on a replica unless <see cref="OnPrimary"/> was called.</summary>
    internal Routing.Replicas.StatementAccess Access => _onPrimary ? Routing.Replicas.StatementAccess.ReadOnPrimary : Routing.Replicas.StatementAccess.Read;

    /// <summary>Keeps the records for which <paramref name="predicate"/> holds (<c>u =&gt; u.Status == "active"</c>).</summary>
    /// <remarks>
    /// The rows are those for which the C# predicate is true: <c>!=</c> keeps NULL rows, <c>!</c> negates as C# does,
    /// string <c>Contains</c>/<c>StartsWith</c>/<c>EndsWith</c> are ordinal (case-sensitive) on every engine, or
    /// <c>StringComparison.OrdinalIgnoreCase</c>; <c>values.Contains(u.Id)</c> is an IN list. What has no translation
    /// (another StringComparison, a method SQL lacks) throws <see cref="NotSupportedException"/> rather than being ignored.
    /// </remarks>
    public Query<T> Where(Expression<Func<T, bool>> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return With(new Clause(predicate, null, null));
    }

    /// <summary>Keeps the records whose columns equal the values of an anonymous object (<c>new { status = "active" }</c>); null means IS NULL.</summary>
    public Query<T> Where(object equalities)
    {
        ArgumentNullException.ThrowIfNull(equalities);
        if (equalities is string sql)
        {
            return Where(sql, null);
        }

        return With(new Clause(null, null, equalities));
    }

    /// <summary>Keeps the records matching a raw SQL condition; write values as parameters (<c>"age &gt; @min", new { min = 18 }</c>).</summary>
    public Query<T> Where(string sql, object? parameters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        return With(new Clause(null, sql, parameters));
    }

    /// <summary>Sorts by a property, ascending; a second call adds a further key.</summary>
    public Query<T> OrderBy<TKey>(Expression<Func<T, TKey>> key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(_connectionName, _where, [.. _order, new Order(key, null, Descending: false)], _limit, _offset, _onPrimary);
    }

    /// <summary>Sorts by a property, descending; a second call adds a further key.</summary>
    public Query<T> OrderByDescending<TKey>(Expression<Func<T, TKey>> key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(_connectionName, _where, [.. _order, new Order(key, null, Descending: true)], _limit, _offset, _onPrimary);
    }

    /// <summary>Sorts by a property or column named at run time; a name that is not a mapped column is refused.</summary>
    /// <exception cref="ArgumentException">The name is not a column of the model.</exception>
    public Query<T> OrderBy(string column, bool descending = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(column);
        return new(_connectionName, _where, [.. _order, new Order(null, column, descending)], _limit, _offset, _onPrimary);
    }

    /// <summary>Returns at most <paramref name="count"/> records.</summary>
    public Query<T> Limit(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new(_connectionName, _where, _order, count, _offset, _onPrimary);
    }

    /// <summary>Skips the first <paramref name="count"/> records.</summary>
    public Query<T> Offset(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new(_connectionName, _where, _order, _limit, count, _onPrimary);
    }

    /// <summary>Runs the query and returns every record.</summary>
    public List<T> All() => ToListAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="All"/>
    public Task<List<T>> AllAsync(CancellationToken cancellationToken = default) => ToListAsync(async: true, cancellationToken).AsTask();

    /// <summary>The record with key <paramref name="key"/>.</summary>
    /// <exception cref="RecordNotFoundException">There is none.</exception>
    public T Find(object key) => FindAsync(key, async: false, CancellationToken.None).GetAwaiter().GetResult() ?? throw new RecordNotFoundException(typeof(T), key, ResolveConnection().Name);

    /// <inheritdoc cref="Find(object)"/>
    public async Task<T> FindAsync(object key, CancellationToken cancellationToken = default) =>
        await FindAsync(key, async: true, cancellationToken).ConfigureAwait(false) ?? throw new RecordNotFoundException(typeof(T), key, ResolveConnection().Name);

    /// <summary>The record with key <paramref name="key"/>, or null.</summary>
    public T? FindOrDefault(object key) => FindAsync(key, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="FindOrDefault(object)"/>
    public Task<T?> FindOrDefaultAsync(object key, CancellationToken cancellationToken = default) => FindAsync(key, async: true, cancellationToken).AsTask();

    /// <summary>Runs the query and returns the first record.</summary>
    /// <exception cref="RecordNotFoundException">There is none.</exception>
    public T First() => FirstOrDefault() ?? throw NotFound();

    /// <inheritdoc cref="First"/>
    public async Task<T> FirstAsync(CancellationToken cancellationToken = default) =>
        await FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? throw NotFound();

    /// <summary>Runs the query and returns the first record, or null.</summary>
    public T? FirstOrDefault() => Limit(1).ReadFirstAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="FirstOrDefault"/>
    public Task<T?> FirstOrDefaultAsync(CancellationToken cancellationToken = default) => Limit(1).ReadFirstAsync(async: true, cancellationToken).AsTask();

    /// <summary>Counts the matching records.</summary>
    public long Count() => CountAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Count"/>
    public Task<long> CountAsync(CancellationToken cancellationToken = default) => CountAsync(async: true, cancellationToken).AsTask();

    /// <summary>Whether any record matches.</summary>
    public bool Exists() => Limit(1).Count() > 0;

    /// <inheritdoc cref="Exists"/>
    public async Task<bool> ExistsAsync(CancellationToken cancellationToken = default) => await Limit(1).CountAsync(cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>The SELECT this query sends to the connection it resolves to now (parameters as placeholders).</summary>
    public string ToSql() => Statement(ModelRouter.Resolve<T>(_connectionName), count: false).Sql;

    /// <inheritdoc />
    public override string ToString() => $"Query<{typeof(T).Name}> on {_connectionName ?? "(resolved at run time)"}";

    internal Connection ResolveConnection() => ModelRouter.Resolve<T>(_connectionName);

    private Query<T> With(Clause clause) => new(_connectionName, [.. _where, clause], _order, _limit, _offset, _onPrimary);

    private RecordNotFoundException NotFound() => new(typeof(T), "(first of query)", ResolveConnection().Name);

    private async ValueTask<List<T>> ToListAsync(bool async, CancellationToken cancellationToken)
    {
        var connection = ResolveConnection();
        await connection.Mappings.GetAsync<T>(async, cancellationToken).ConfigureAwait(false);
        var (sql, parameters) = Statement(connection, count: false);
        return await connection.RunReadAsync(sql, parameters, ReadRecords, async, cancellationToken, Access).ConfigureAwait(false);
    }

    /// <summary>The first record of this (paged) query, or null: one record read, no list.</summary>
    private async ValueTask<T?> ReadFirstAsync(bool async, CancellationToken cancellationToken)
    {
        var connection = ResolveConnection();
        await connection.Mappings.GetAsync<T>(async, cancellationToken).ConfigureAwait(false);
        var (sql, parameters) = Statement(connection, count: false);
        return await connection.RunReadAsync(sql, parameters, ReadSingle, async, cancellationToken, Access).ConfigureAwait(false);
    }

    /// <summary>The record with a key, on the connection routing picks for <paramref name="connectionName"/> (null: scope, attribute, default).</summary>
    internal static async ValueTask<T?> FindByKeyAsync(string? connectionName, object key, bool async, CancellationToken cancellationToken, bool onPrimary = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        var connection = ModelRouter.Resolve<T>(connectionName);
        var mapping = await connection.Mappings.GetAsync<T>(async, cancellationToken).ConfigureAwait(false);
        var keyColumn = mapping.RequireKey("be found by key");
        var keyValue = keyColumn.Info.Property.PropertyType.IsInstanceOfType(key) ? key : ValueConverter.To(key, keyColumn.Info.Property.PropertyType);
        return await connection.RunReadAsync(mapping.FindSql!, CommandParameters.Single(mapping.KeyParameterName, keyValue), ReadSingle, async, cancellationToken, onPrimary ? Routing.Replicas.StatementAccess.ReadOnPrimary : Routing.Replicas.StatementAccess.Read).ConfigureAwait(false);
    }

    private async ValueTask<T?> FindAsync(object key, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_where.Length == 0 && _order.Length == 0 && _offset is null)
        {
            return await FindByKeyAsync(_connectionName, key, async, cancellationToken, _onPrimary).ConfigureAwait(false);
        }

        var connection = ResolveConnection();
        var keyColumn = (await connection.Mappings.GetAsync<T>(async, cancellationToken).ConfigureAwait(false)).RequireKey("be found by key");
        var keyValue = ValueConverter.To(key, keyColumn.Info.Property.PropertyType);
        var parameter = Expression.Parameter(typeof(T), "record");

        // The key as a captured variable, as a lambda would capture it: one shape for every key.
        var captured = Expression.Field(Expression.Constant(new StrongBox<object?>(keyValue)), nameof(StrongBox<object?>.Value));
        var predicate = Expression.Lambda<Func<T, bool>>(
            Expression.Equal(Expression.Property(parameter, keyColumn.Info.Property), Expression.Convert(captured, keyColumn.Info.Property.PropertyType)),
            parameter);
        var records = await Where(predicate).Limit(1).ToListAsync(async, cancellationToken).ConfigureAwait(false);
        return records.Count > 0 ? records[0] : null;
    }

    private async ValueTask<long> CountAsync(bool async, CancellationToken cancellationToken)
    {
        var connection = ResolveConnection();
        await connection.Mappings.GetAsync<T>(async, cancellationToken).ConfigureAwait(false);
        var (sql, parameters) = Statement(connection, count: true);
        var value = await connection.RunReadAsync(sql, parameters, Connection.ExecuteScalar, async, cancellationToken, Access).ConfigureAwait(false);
        return ValueConverter.To<long>(value);
    }

    private string Build(Connection connection, bool count, out SqlParameters parameters, ShapeRecorder? recorder = null)
    {
        var mapping = connection.Mappings.For<T>();
        var dialect = connection.Dialect;
        parameters = new SqlParameters(GeneratedNamePrefix());
        var paged = _limit is not null || _offset is not null;
        var sql = new StringBuilder();
        if (count && paged)
        {
            // COUNT applies to the page, not the table: count the rows of the paged select.
            sql.Append("SELECT COUNT(*) FROM (SELECT 1 AS sb_one FROM ").Append(mapping.Table);
        }
        else
        {
            sql.Append(count ? "SELECT COUNT(*) FROM " + mapping.Table : mapping.SelectFrom);
        }

        for (var i = 0; i < _where.Length; i++)
        {
            sql.Append(i == 0 ? " WHERE " : " AND ");
            _where[i].AppendTo(sql, mapping, parameters, recorder);
        }

        if (!count || paged)
        {
            for (var i = 0; i < _order.Length; i++)
            {
                sql.Append(i == 0 ? " ORDER BY " : ", ").Append(_order[i].Column(mapping)).Append(_order[i].Descending ? " DESC" : " ASC");
            }

            dialect.AppendPaging(sql, _limit, _offset, _order.Length > 0);
        }

        if (count && paged)
        {
            sql.Append(") sb_page");
        }

        return sql.ToString();
    }

    /// <summary>The prefix of generated parameter names, chosen so that none can be one of the raw fragments' names.</summary>
    private string GeneratedNamePrefix()
    {
        List<string>? texts = null;
        foreach (var clause in _where)
        {
            if (clause.Sql is not null)
            {
                texts ??= [];
                texts.Add(clause.Sql);
                if (clause.Values is not null)
                {
                    texts.AddRange(ParameterBinder.Enumerate(clause.Values).Select(p => p.Key));
                }
            }
        }

        return texts is null ? SqlParameters.DefaultPrefix : SqlParameters.PrefixAvoiding(texts);
    }

    private sealed record Clause(Expression<Func<T, bool>>? Predicate, string? Sql, object? Values)
    {
        public void AppendTo(StringBuilder sql, ModelMapping<T> mapping, SqlParameters parameters, ShapeRecorder? recorder = null)
        {
            if (Predicate is not null)
            {
                sql.Append(ExpressionTranslator<T>.Translate(Predicate, mapping, parameters, recorder));
                return;
            }

            if (Sql is not null)
            {
                sql.Append('(').Append(Sql).Append(')');
                foreach (var (name, value) in ParameterValues(Values))
                {
                    parameters.AddNamed(name, value);
                }

                return;
            }

            var first = true;
            sql.Append('(');
            foreach (var (name, value) in ParameterValues(Values))
            {
                var column = mapping.FindColumn(name) ?? throw UserArgument(
                    $"Model {typeof(T).Name} has no column '{name}'. Use one of: {string.Join(", ", mapping.Columns.Select(c => c.Info.Name))}.",
                    "equalities");
                sql.Append(first ? "" : " AND ");
                AppendEquality(sql, column.Quoted, value, mapping.Dialect, parameters);
                first = false;
            }

            sql.Append(first ? "1 = 1)" : ")");
        }

        /// <summary><c>column = value</c>; null is IS NULL, and a list (<c>new { id = ids }</c>) is IN, matching NULL when it holds a null.</summary>
        private static void AppendEquality(StringBuilder sql, string column, object? value, Dialects.SqlDialect dialect, SqlParameters parameters)
        {
            if (!ListParameters.IsList(value))
            {
                sql.Append(column).Append(value is null ? " IS NULL" : " = " + dialect.ParameterPlaceholder(parameters.Add(value)));
                return;
            }

            var values = ((System.Collections.IEnumerable)value!).Cast<object?>().ToList();
            var present = values.Where(v => v is not null).ToList();
            var withNull = present.Count < values.Count;
            if (present.Count == 0)
            {
                sql.Append(withNull ? column + " IS NULL" : "1 = 0");
                return;
            }

            sql.Append(withNull ? "(" : "");
            if (InLists.AsOneParameter(dialect, present) is { } dbValues)
            {
                var placeholder = dialect.ParameterPlaceholder(parameters.Add(dialect.ListParameterValue(dbValues)));
                sql.Append(column).Append(" IN (").Append(dialect.ListParameterSql(placeholder, dbValues)).Append(')');
            }
            else
            {
                InLists.AppendList(sql, column, present.Select(v => dialect.ParameterPlaceholder(parameters.Add(v))).ToList(), dialect);
            }

            sql.Append(withNull ? " OR " + column + " IS NULL)" : "");
        }

        private static IEnumerable<KeyValuePair<string, object?>> ParameterValues(object? values)
        {
            if (values is null)
            {
                return [];
            }

            return ParameterBinder.Enumerate(values);
        }
    }

    /// <summary>An ArgumentException naming the argument of the public method the user called (Where, OrderBy), found wrong only when the SQL is built.</summary>
    private static ArgumentException UserArgument(string message, string argument) => new(message, argument);

    private sealed record Order(LambdaExpression? Key, string? Name, bool Descending)
    {
        public string Column(ModelMapping<T> mapping)
        {
            if (Key is not null)
            {
                return ExpressionTranslator<T>.Column(Key, mapping).Quoted;
            }

            return (mapping.FindColumn(Name!) ?? throw UserArgument(
                $"Cannot order {typeof(T).Name} by '{Name}': it is not a column. Use one of: {string.Join(", ", mapping.Columns.Select(c => c.Info.Name))}.",
                "column")).Quoted;
        }
    }
}
