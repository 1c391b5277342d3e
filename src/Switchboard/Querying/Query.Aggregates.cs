using System.Globalization;
using System.Linq.Expressions;
using Switchboard.Records;

namespace Switchboard;

// Sum, Min, Max and Average of one column over the matching records: reads, computed by the engine where its result is
// exact, otherwise by Switchboard from the column's values (Dialect.AggregatesExactly).
public sealed partial class Query<T>
{
    /// <summary>
    /// The sum of a numeric column over the matching records, as the column's type; 0 when none match. A sum that does not
    /// fit the type is an error, never a wrapped or rounded value: sum a wider type with a cast (<c>x =&gt; (long)x.Count</c>).
    /// </summary>
    /// <param name="column">The property, as <c>x =&gt; x.Property</c> (optionally cast to a wider numeric type).</param>
    /// <exception cref="SwitchboardException">The sum does not fit in <typeparamref name="TValue"/>.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="TValue"/> is not a numeric type.</exception>
    public TValue Sum<TValue>(Expression<Func<T, TValue>> column)
        where TValue : struct =>
        SumAsync<TValue>(column, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Sum{TValue}(Expression{Func{T, TValue}})"/>
    public Task<TValue> SumAsync<TValue>(Expression<Func<T, TValue>> column, CancellationToken cancellationToken = default)
        where TValue : struct =>
        SumAsync<TValue>(column, async: true, cancellationToken).AsTask();

    /// <summary>The sum of a nullable numeric column over the matching records, NULLs left out; 0 (never null) when there is nothing to add.</summary>
    /// <inheritdoc cref="Sum{TValue}(Expression{Func{T, TValue}})"/>
    public TValue? Sum<TValue>(Expression<Func<T, TValue?>> column)
        where TValue : struct =>
        SumAsync<TValue>(column, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Sum{TValue}(Expression{Func{T, TValue?}})"/>
    public async Task<TValue?> SumAsync<TValue>(Expression<Func<T, TValue?>> column, CancellationToken cancellationToken = default)
        where TValue : struct =>
        await SumAsync<TValue>(column, async: true, cancellationToken).ConfigureAwait(false);

    /// <summary>The smallest value of a column over the matching records (NULLs left out), or null when there is none.</summary>
    /// <param name="column">The property, as <c>x =&gt; x.Property</c>.</param>
    public TValue? Min<TValue>(Expression<Func<T, TValue>> column)
        where TValue : struct =>
        ExtremeAsync<TValue>(column, "MIN", async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Min{TValue}(Expression{Func{T, TValue}})"/>
    public Task<TValue?> MinAsync<TValue>(Expression<Func<T, TValue>> column, CancellationToken cancellationToken = default)
        where TValue : struct =>
        ExtremeAsync<TValue>(column, "MIN", async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="Min{TValue}(Expression{Func{T, TValue}})"/>
    public TValue? Min<TValue>(Expression<Func<T, TValue?>> column)
        where TValue : struct =>
        ExtremeAsync<TValue>(column, "MIN", async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Min{TValue}(Expression{Func{T, TValue}})"/>
    public Task<TValue?> MinAsync<TValue>(Expression<Func<T, TValue?>> column, CancellationToken cancellationToken = default)
        where TValue : struct =>
        ExtremeAsync<TValue>(column, "MIN", async: true, cancellationToken).AsTask();

    /// <summary>The largest value of a column over the matching records (NULLs left out), or null when there is none.</summary>
    /// <param name="column">The property, as <c>x =&gt; x.Property</c>.</param>
    public TValue? Max<TValue>(Expression<Func<T, TValue>> column)
        where TValue : struct =>
        ExtremeAsync<TValue>(column, "MAX", async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Max{TValue}(Expression{Func{T, TValue}})"/>
    public Task<TValue?> MaxAsync<TValue>(Expression<Func<T, TValue>> column, CancellationToken cancellationToken = default)
        where TValue : struct =>
        ExtremeAsync<TValue>(column, "MAX", async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="Max{TValue}(Expression{Func{T, TValue}})"/>
    public TValue? Max<TValue>(Expression<Func<T, TValue?>> column)
        where TValue : struct =>
        ExtremeAsync<TValue>(column, "MAX", async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Max{TValue}(Expression{Func{T, TValue}})"/>
    public Task<TValue?> MaxAsync<TValue>(Expression<Func<T, TValue?>> column, CancellationToken cancellationToken = default)
        where TValue : struct =>
        ExtremeAsync<TValue>(column, "MAX", async: true, cancellationToken).AsTask();

    /// <summary>
    /// The mean of a numeric column over the matching records (NULLs left out) as a double, or null when there is none.
    /// It is the exact sum divided by the count in .NET, the same on every engine (engines round AVG of integers differently).
    /// </summary>
    /// <param name="column">The property, as <c>x =&gt; x.Property</c>.</param>
    public double? Average<TValue>(Expression<Func<T, TValue>> column)
        where TValue : struct =>
        MeanAsync<TValue, double>(column, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Average{TValue}(Expression{Func{T, TValue}})"/>
    public Task<double?> AverageAsync<TValue>(Expression<Func<T, TValue>> column, CancellationToken cancellationToken = default)
        where TValue : struct =>
        MeanAsync<TValue, double>(column, async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="Average{TValue}(Expression{Func{T, TValue}})"/>
    public double? Average<TValue>(Expression<Func<T, TValue?>> column)
        where TValue : struct =>
        MeanAsync<TValue, double>(column, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Average{TValue}(Expression{Func{T, TValue}})"/>
    public Task<double?> AverageAsync<TValue>(Expression<Func<T, TValue?>> column, CancellationToken cancellationToken = default)
        where TValue : struct =>
        MeanAsync<TValue, double>(column, async: true, cancellationToken).AsTask();

    /// <summary>The mean of a decimal column over the matching records (NULLs left out) as a decimal, or null when there is none: the exact sum divided by the count.</summary>
    /// <param name="column">The property, as <c>x =&gt; x.Property</c>.</param>
    public decimal? Average(Expression<Func<T, decimal>> column) =>
        MeanAsync<decimal, decimal>(column, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Average(Expression{Func{T, decimal}})"/>
    public Task<decimal?> AverageAsync(Expression<Func<T, decimal>> column, CancellationToken cancellationToken = default) =>
        MeanAsync<decimal, decimal>(column, async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="Average(Expression{Func{T, decimal}})"/>
    public decimal? Average(Expression<Func<T, decimal?>> column) =>
        MeanAsync<decimal, decimal>(column, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Average(Expression{Func{T, decimal}})"/>
    public Task<decimal?> AverageAsync(Expression<Func<T, decimal?>> column, CancellationToken cancellationToken = default) =>
        MeanAsync<decimal, decimal>(column, async: true, cancellationToken).AsTask();

    private static readonly HashSet<Type> Numeric =
    [
        typeof(byte), typeof(sbyte), typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong),
        typeof(float), typeof(double), typeof(decimal),
    ];

    private async ValueTask<TValue> SumAsync<TValue>(LambdaExpression column, bool async, CancellationToken cancellationToken)
        where TValue : struct
    {
        RequireNumeric(typeof(TValue), "Sum");
        var connection = ResolveForRead();
        await connection.Mappings.GetAsync<T>(async, cancellationToken).ConfigureAwait(false);
        var mapped = ColumnOf(connection, column);
        object? total;
        if (ComputedHere(connection, mapped))
        {
            var values = await ValuesAsync<decimal>(connection, mapped, async, cancellationToken).ConfigureAwait(false);
            try
            {
                total = values.Aggregate(0m, (sum, value) => checked(sum + value));
            }
            catch (OverflowException overflow)
            {
                throw SumOverflow(connection, mapped, typeof(TValue), overflow);
            }
        }
        else
        {
            var sql = SumSql(connection, mapped, out var parameters);
            total = await connection.RunReadAsync(sql, CommandParameters.From(parameters.Values.ToArray()), Connection.ExecuteScalar, async, cancellationToken, Access).ConfigureAwait(false);
        }

        return total is null or DBNull ? default : (TValue)Exactly(total, typeof(TValue), connection, mapped);
    }

    private async ValueTask<TValue?> ExtremeAsync<TValue>(LambdaExpression column, string function, bool async, CancellationToken cancellationToken)
        where TValue : struct
    {
        var connection = ResolveForRead();
        await connection.Mappings.GetAsync<T>(async, cancellationToken).ConfigureAwait(false);
        var mapped = ColumnOf(connection, column);
        if (ComputedHere(connection, mapped))
        {
            var values = await ValuesAsync<TValue>(connection, mapped, async, cancellationToken).ConfigureAwait(false);
            if (values.Count == 0)
            {
                return null;
            }

            var sign = function == "MIN" ? -1 : 1;
            return values.Aggregate((best, value) => Comparer<TValue>.Default.Compare(value, best) * sign > 0 ? value : best);
        }

        var sql = ColumnSql(connection, mapped, function + "({0})", out var parameters);
        var name = mapped.Info.Name;
        return await connection.RunReadAsync(
            sql,
            CommandParameters.From(parameters.Values.ToArray()),
            async (command, _, isAsync, token) => (await ReadColumn<TValue?>(command, name, isAsync, token).ConfigureAwait(false)).FirstOrDefault(),
            async,
            cancellationToken,
            Access).ConfigureAwait(false);
    }

    private async ValueTask<TResult?> MeanAsync<TValue, TResult>(LambdaExpression column, bool async, CancellationToken cancellationToken)
        where TValue : struct
        where TResult : struct
    {
        RequireNumeric(typeof(TValue), "Average");
        var connection = ResolveForRead();
        await connection.Mappings.GetAsync<T>(async, cancellationToken).ConfigureAwait(false);
        var mapped = ColumnOf(connection, column);
        object? total;
        long count;
        if (ComputedHere(connection, mapped))
        {
            var values = await ValuesAsync<decimal>(connection, mapped, async, cancellationToken).ConfigureAwait(false);
            total = values.Aggregate(0m, (sum, value) => checked(sum + value));
            count = values.Count;
        }
        else
        {
            var sql = MeanSql(connection, mapped, out var parameters);
            (total, count) = await connection.RunReadAsync(
                sql,
                CommandParameters.From(parameters.Values.ToArray()),
                async (command, _, isAsync, token) =>
                {
                    var reader = isAsync ? await command.ExecuteReaderAsync(token).ConfigureAwait(false) : command.ExecuteReader();
                    await using (reader.ConfigureAwait(false))
                    {
                        return (isAsync ? await reader.ReadAsync(token).ConfigureAwait(false) : reader.Read())
                            ? (reader.GetValue(0), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture))
                            : ((object?)null, 0L);
                    }
                },
                async,
                cancellationToken,
                Access).ConfigureAwait(false);
        }

        if (count == 0 || total is null or DBNull)
        {
            return null;
        }

        return typeof(TResult) == typeof(decimal)
            ? (TResult)(object)((decimal)Exactly(total, typeof(decimal), connection, mapped) / count)
            : (TResult)(object)(Convert.ToDouble(total, CultureInfo.InvariantCulture) / count);
    }

    /// <summary>Whether the engine's aggregate would not be exact for this column (<see cref="Dialects.SqlDialect.AggregatesExactly"/>), so Switchboard computes it.</summary>
    private static bool ComputedHere(Connection connection, ModelMapping<T>.MappedColumn column)
    {
        var type = Nullable.GetUnderlyingType(column.Info.Property.PropertyType) ?? column.Info.Property.PropertyType;
        return !connection.Dialect.AggregatesExactly(type.IsEnum ? Enum.GetUnderlyingType(type) : type);
    }

    /// <summary>The SELECT of the column's SUM that Sum sends.</summary>
    internal string SumSql(Connection connection, ModelMapping<T>.MappedColumn column, out Querying.SqlParameters parameters) =>
        ColumnSql(connection, column, SumOf(connection, column), out parameters);

    /// <summary>The SELECT of the column's SUM and COUNT that Average sends.</summary>
    internal string MeanSql(Connection connection, ModelMapping<T>.MappedColumn column, out Querying.SqlParameters parameters) =>
        ColumnSql(connection, column, SumOf(connection, column) + ", COUNT({0})", out parameters);

    /// <summary>The dialect's SUM of the column as a format with <c>{0}</c> for the operand.</summary>
    private static string SumOf(Connection connection, ModelMapping<T>.MappedColumn column)
    {
        var type = Nullable.GetUnderlyingType(column.Info.Property.PropertyType) ?? column.Info.Property.PropertyType;
        return connection.Dialect.Sum("{0}", type.IsEnum ? Enum.GetUnderlyingType(type) : type);
    }

    /// <summary>The column's non-null values over the matching rows (the page, when paged), read as a property of <typeparamref name="TValue"/> would be.</summary>
    private async ValueTask<List<TValue>> ValuesAsync<TValue>(Connection connection, ModelMapping<T>.MappedColumn column, bool async, CancellationToken cancellationToken)
        where TValue : struct
    {
        var sql = ColumnSql(connection, column, aggregate: null, out var parameters);
        var name = column.Info.Name;
        var values = await connection.RunReadAsync(
            sql,
            CommandParameters.From(parameters.Values.ToArray()),
            (command, _, isAsync, token) => ReadColumn<TValue?>(command, name, isAsync, token),
            async,
            cancellationToken,
            Access).ConfigureAwait(false);
        return [.. values.Where(v => v.HasValue).Select(v => v!.Value)];
    }

    private static void RequireNumeric(Type type, string operation)
    {
        if (!Numeric.Contains(type))
        {
            throw UserArgument(
                $"{operation} needs a numeric column; {type.Name} is not one. Use a property of a number type (int, long, decimal, double, ...), or Min and Max for other types.",
                "column");
        }
    }

    /// <summary>
    /// The engine's sum (long, decimal or double, whatever the column's type made it) as <paramref name="type"/>, exactly:
    /// too large, or a fraction for an integer type, is an error.
    /// </summary>
    private static object Exactly(object value, Type type, Connection connection, ModelMapping<T>.MappedColumn column)
    {
        try
        {
            if (type == typeof(float) || type == typeof(double))
            {
                var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                return type == typeof(double)
                    ? number
                    : float.IsFinite((float)number) || !double.IsFinite(number) ? (float)number : throw new OverflowException();
            }

            if (type != typeof(decimal) && value is decimal or double or float && Convert.ToDecimal(value, CultureInfo.InvariantCulture) % 1 != 0)
            {
                throw new InvalidOperationException(
                    $"The sum of {typeof(T).Name}.{column.Info.Property.Name} on '{connection.Name}' has a fraction, which {type.Name} cannot hold. Sum it as decimal or double.");
            }

            return Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
        }
        catch (OverflowException overflow)
        {
            throw SumOverflow(connection, column, type, overflow);
        }
    }

    private static SwitchboardException SumOverflow(Connection connection, ModelMapping<T>.MappedColumn column, Type type, OverflowException overflow) =>
        new(
            $"The sum of {typeof(T).Name}.{column.Info.Property.Name} on '{connection.Name}' does not fit in {type.Name}. "
            + $"Sum it as a wider type, as in Sum(x => (long)x.{column.Info.Property.Name}) or (decimal).",
            connection.Name,
            isTransient: false,
            overflow);
}
