using System.Data.Common;
using System.Linq.Expressions;
using System.Text;
using Switchboard.Querying;
using Switchboard.Records;

namespace Switchboard;

// Statements on every matching row at once: UpdateAll, DeleteAll and Pluck, and the SQL pieces the aggregates share.
public sealed partial class Query<T>
{
    /// <summary>
    /// Sets properties of every matching record in one UPDATE (<c>new { Status = "archived" }</c>: property names of the
    /// model, values sent as parameters; null sets NULL) and returns the number of rows it matched. Records already
    /// loaded are not changed.
    /// </summary>
    /// <param name="assignments">An anonymous object or a dictionary: property name to new value.</param>
    /// <exception cref="ArgumentException">A name is not a property of the model, names a column the database computes, or there is none.</exception>
    /// <exception cref="InvalidOperationException">The query has <c>Limit</c> or <c>Offset</c>, which an UPDATE cannot take on every engine.</exception>
    public long UpdateAll(object assignments) => UpdateAllAsync(assignments, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="UpdateAll(object)"/>
    public Task<long> UpdateAllAsync(object assignments, CancellationToken cancellationToken = default) =>
        UpdateAllAsync(assignments, async: true, cancellationToken).AsTask();

    /// <summary>Deletes every matching record in one DELETE and returns the number of rows deleted. Records already loaded are not changed.</summary>
    /// <exception cref="InvalidOperationException">The query has <c>Limit</c> or <c>Offset</c>, which a DELETE cannot take on every engine.</exception>
    public long DeleteAll() => DeleteAllAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="DeleteAll"/>
    public Task<long> DeleteAllAsync(CancellationToken cancellationToken = default) => DeleteAllAsync(async: true, cancellationToken).AsTask();

    /// <summary>
    /// The values of one column of the matching records, in the query's order (<c>Pluck(u =&gt; u.Name)</c>), without
    /// loading whole records. A value reads as the property would when the record is loaded; a cast
    /// (<c>u =&gt; (long)u.Age</c>) converts it.
    /// </summary>
    /// <param name="column">The property, as <c>x =&gt; x.Property</c>.</param>
    /// <exception cref="NotSupportedException">The expression is not a mapped property of the model.</exception>
    public List<TValue> Pluck<TValue>(Expression<Func<T, TValue>> column) =>
        PluckAsync(column, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Pluck{TValue}(Expression{Func{T, TValue}})"/>
    public Task<List<TValue>> PluckAsync<TValue>(Expression<Func<T, TValue>> column, CancellationToken cancellationToken = default) =>
        PluckAsync(column, async: true, cancellationToken).AsTask();

    // Routing: each operation says whether it reads or writes, so that the connection chosen for it can depend on that.
    // Reads: All, First, Count, Pluck and the aggregates; writes: UpdateAll, DeleteAll (and Save, Delete, InsertAll).
    private Connection ResolveForRead() => ResolveConnection();

    private Connection ResolveForWrite() => ResolveConnection();

    /// <summary>The UPDATE that <see cref="UpdateAll(object)"/> sends to <paramref name="connection"/>, with its parameters.</summary>
    internal string UpdateAllSql(Connection connection, object assignments, out SqlParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        RequireWholeSet("UpdateAll");
        var mapping = connection.Mappings.For<T>();
        parameters = new SqlParameters(GeneratedNamePrefix());
        var sql = new StringBuilder("UPDATE ").Append(mapping.Table).Append(" SET ");
        var count = 0;
        var seen = new HashSet<ModelMapping<T>.MappedColumn>();
        foreach (var (name, value) in ParameterBinder.Enumerate(assignments))
        {
            var column = mapping.FindColumn(name) ?? throw new ArgumentException(
                $"UpdateAll: model {typeof(T).Name} has no property '{name}'. Use one of: {string.Join(", ", mapping.Columns.Select(c => c.Info.Property.Name))}.",
                nameof(assignments));
            if (column.Info.IsReadOnly)
            {
                throw new ArgumentException(
                    $"UpdateAll: {typeof(T).Name}.{column.Info.Property.Name} is computed by the database ([DatabaseGenerated]), so it cannot be set. Leave it out.",
                    nameof(assignments));
            }

            if (!seen.Add(column))
            {
                throw new ArgumentException($"UpdateAll: {typeof(T).Name}.{column.Info.Property.Name} is given twice. Give each property once.", nameof(assignments));
            }

            sql.Append(count++ == 0 ? "" : ", ").Append(column.Quoted).Append(" = ").Append(mapping.Dialect.ParameterPlaceholder(parameters.Add(value)));
        }

        if (count == 0)
        {
            throw new ArgumentException($"UpdateAll needs at least one property of {typeof(T).Name} to set, as in new {{ Status = \"archived\" }}.", nameof(assignments));
        }

        AppendWhere(sql, mapping, parameters);
        return sql.ToString();
    }

    /// <summary>The DELETE that <see cref="DeleteAll"/> sends to <paramref name="connection"/>, with its parameters.</summary>
    internal string DeleteAllSql(Connection connection, out SqlParameters parameters)
    {
        RequireWholeSet("DeleteAll");
        var mapping = connection.Mappings.For<T>();
        parameters = new SqlParameters(GeneratedNamePrefix());
        var sql = new StringBuilder("DELETE FROM ").Append(mapping.Table);
        AppendWhere(sql, mapping, parameters);
        return sql.ToString();
    }

    /// <summary>
    /// <c>SELECT column FROM table WHERE ... ORDER BY ... (paging)</c>; with <paramref name="aggregate"/>, its expression
    /// (<c>SUM({0})</c>) over the matching rows, taken over the page when the query is paged.
    /// </summary>
    internal string ColumnSql(Connection connection, ModelMapping<T>.MappedColumn column, string? aggregate, out SqlParameters parameters)
    {
        var mapping = connection.Mappings.For<T>();
        parameters = new SqlParameters(GeneratedNamePrefix());
        var paged = _limit is not null || _offset is not null;
        var sql = new StringBuilder("SELECT ");
        if (aggregate is null)
        {
            sql.Append(column.Quoted);
        }
        else if (paged)
        {
            // An aggregate of a page is taken over the rows of the paged select, as Count does.
            sql.Append(string.Format(System.Globalization.CultureInfo.InvariantCulture, aggregate, "sb_value")).Append(" FROM (SELECT ").Append(column.Quoted).Append(" AS sb_value");
        }
        else
        {
            sql.Append(string.Format(System.Globalization.CultureInfo.InvariantCulture, aggregate, column.Quoted));
        }

        sql.Append(" FROM ").Append(mapping.Table);
        AppendWhere(sql, mapping, parameters);
        if (aggregate is null || paged)
        {
            for (var i = 0; i < _order.Length; i++)
            {
                sql.Append(i == 0 ? " ORDER BY " : ", ").Append(_order[i].Column(mapping)).Append(_order[i].Descending ? " DESC" : " ASC");
            }

            mapping.Dialect.AppendPaging(sql, _limit, _offset, _order.Length > 0);
        }

        if (aggregate is not null && paged)
        {
            sql.Append(") sb_page");
        }

        return sql.ToString();
    }

    /// <summary>The mapped column a column expression names, on <paramref name="connection"/>.</summary>
    internal static ModelMapping<T>.MappedColumn ColumnOf(Connection connection, LambdaExpression column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return ExpressionTranslator<T>.Column(column, connection.Mappings.For<T>());
    }

    /// <summary>Reads one column of every row of a command into values of <typeparamref name="TValue"/>, as the property reads it.</summary>
    internal static async ValueTask<List<TValue>> ReadColumn<TValue>(DbCommand command, string columnName, bool async, CancellationToken cancellationToken)
    {
        var values = new List<TValue>();
        var reader = async ? await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteReader();
        await using (reader.ConfigureAwait(false))
        {
            while (async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read())
            {
                values.Add(ReadValue<TValue>(reader, columnName));
            }
        }

        return values;
    }

    /// <summary>The first column of the current row as <typeparamref name="TValue"/>: NULL is default, otherwise as a property of that type reads it.</summary>
    internal static TValue ReadValue<TValue>(DbDataReader reader, string columnName) => ColumnValue<TValue>.Read(reader, columnName);

    private async ValueTask<long> UpdateAllAsync(object assignments, bool async, CancellationToken cancellationToken)
    {
        var connection = ResolveForWrite();
        await connection.Mappings.GetAsync<T>(async, cancellationToken).ConfigureAwait(false);
        var sql = UpdateAllSql(connection, assignments, out var parameters);
        return await connection.RunAsync(sql, CommandParameters.From(parameters.Values.ToArray()), Connection.ExecuteNonQuery, async, cancellationToken, Routing.Replicas.StatementAccess.Write).ConfigureAwait(false);
    }

    private async ValueTask<long> DeleteAllAsync(bool async, CancellationToken cancellationToken)
    {
        var connection = ResolveForWrite();
        await connection.Mappings.GetAsync<T>(async, cancellationToken).ConfigureAwait(false);
        var sql = DeleteAllSql(connection, out var parameters);
        return await connection.RunAsync(sql, CommandParameters.From(parameters.Values.ToArray()), Connection.ExecuteNonQuery, async, cancellationToken, Routing.Replicas.StatementAccess.Write).ConfigureAwait(false);
    }

    private async ValueTask<List<TValue>> PluckAsync<TValue>(Expression<Func<T, TValue>> column, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(column);
        var connection = ResolveForRead();
        await connection.Mappings.GetAsync<T>(async, cancellationToken).ConfigureAwait(false);
        var mapped = ColumnOf(connection, column);
        var sql = ColumnSql(connection, mapped, aggregate: null, out var parameters);
        var name = mapped.Info.Name;
        return await connection.RunReadAsync(
            sql,
            CommandParameters.From(parameters.Values.ToArray()),
            (command, _, isAsync, token) => ReadColumn<TValue>(command, name, isAsync, token),
            async,
            cancellationToken,
            Access).ConfigureAwait(false);
    }

    private void AppendWhere(StringBuilder sql, ModelMapping<T> mapping, SqlParameters parameters)
    {
        for (var i = 0; i < _where.Length; i++)
        {
            sql.Append(i == 0 ? " WHERE " : " AND ");
            _where[i].AppendTo(sql, mapping, parameters);
        }
    }

    private void RequireWholeSet(string operation)
    {
        if (_limit is not null || _offset is not null)
        {
            throw new InvalidOperationException(
                $"{operation} works on every record the conditions match; it cannot take Limit or Offset (not every engine can page an UPDATE or DELETE). "
                + "Narrow the query with Where instead, for example on keys read with Pluck.");
        }
    }

    /// <summary>Reads the first column of a row as a <typeparamref name="TValue"/>, chosen once per type.</summary>
    private static class ColumnValue<TValue>
    {
        public static readonly Func<DbDataReader, string, TValue> Read = Create();

        private static Func<DbDataReader, string, TValue> Create()
        {
            var type = Nullable.GetUnderlyingType(typeof(TValue)) ?? typeof(TValue);
            if (type.IsEnum)
            {
                return (reader, _) => reader.IsDBNull(0) ? default! : (TValue)ValueConverter.To(reader.GetValue(0), type)!;
            }

            if (type == typeof(TValue))
            {
                return (reader, column) => reader.IsDBNull(0) ? default! : ColumnReader.Read<TValue>(reader, 0, column, typeof(TValue));
            }

            return typeof(ColumnValue<TValue>).GetMethod(nameof(ReadNullable), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(type)
                .CreateDelegate<Func<DbDataReader, string, TValue>>();
        }

        private static TStruct? ReadNullable<TStruct>(DbDataReader reader, string column)
            where TStruct : struct =>
            reader.IsDBNull(0) ? null : ColumnReader.Read<TStruct>(reader, 0, column, typeof(TStruct?));
    }
}
