using System.Collections;
using System.Data.Common;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using Switchboard.Dialects;

namespace Switchboard.Records;

/// <summary>
/// A model mapped for one connection: quoted names, SQL built once, and compiled code that reads rows into records
/// and compares records with their snapshot. Keyed by (model, connection), never by model alone.
/// </summary>
internal sealed class ModelMapping<T>
    where T : ActiveRecord<T>, new()
{
    public ModelMapping(ModelInfo info, SqlDialect dialect, NamingConvention naming)
        : this(info, dialect, Schema.SchemaMatcher.Match(info, naming, tables: null, dialect))
    {
    }

    /// <summary>Maps a model with the real names found for it (see <see cref="Schema.SchemaMatcher"/>).</summary>
    public ModelMapping(ModelInfo info, SqlDialect dialect, Schema.ModelNames names)
    {
        ColumnTypeCheck.Verify(info, dialect);
        Info = info;
        Dialect = dialect;
        TableName = names.Table;
        Table = (names.Schema is null ? "" : dialect.QuoteIdentifier(names.Schema) + ".") + dialect.QuoteIdentifier(names.Table);
        Columns = [.. info.Columns.Select((c, i) => new MappedColumn(c, names.Columns[i], dialect.QuoteIdentifier(names.Columns[i]), i) { ColumnType = names.Found[i]?.DataType, BoundName = dialect.GeneratedParameterName("p" + i) })];
        Key = Columns.FirstOrDefault(c => c.Info.IsKey);
        SelectList = string.Join(", ", Columns.Select(c => c.Quoted));
        SelectFrom = $"SELECT {SelectList} FROM {Table}";
        KeyParameterName = dialect.GeneratedParameterName("key");
        if (Key is not null)
        {
            FindSql = $"{SelectFrom} WHERE {Key.Quoted} = {dialect.ParameterPlaceholder("key")}";
            DeleteSql = $"DELETE FROM {Table} WHERE {Key.Quoted} = {dialect.ParameterPlaceholder("key")}";
        }

        _strict = CompileMaterializer(tolerant: false);
        Populate = CompilePopulate();
        CopyArrays = CompileCopyArrays();
    }

    public ModelInfo Info { get; }

    /// <summary>The SQL of the query shapes run on this mapping, created on the first query.</summary>
    public Querying.QueryShapes QueryShapes =>
        _queryShapes ?? Interlocked.CompareExchange(ref _queryShapes, new Querying.QueryShapes(), null) ?? _queryShapes!;

    public SqlDialect Dialect { get; }

    /// <summary>The table as generated SQL writes it: quoted, with its schema when <c>[Table]</c> names one.</summary>
    public string Table { get; }

    /// <summary>The table's real name, unquoted (as the catalog spells it under <c>naming: auto</c>).</summary>
    public string TableName { get; }

    public IReadOnlyList<MappedColumn> Columns { get; }

    public MappedColumn? Key { get; }

    public string SelectList { get; }

    public string SelectFrom { get; }

    public string? FindSql { get; }

    public string? DeleteSql { get; }

    /// <summary>The driver's name of the <c>key</c> parameter of <see cref="FindSql"/>, <see cref="DeleteSql"/> and updates.</summary>
    public string KeyParameterName { get; }

    /// <summary>
    /// Reads the current row (columns in mapping order) into a new record with the driver's typed getters. When a column's
    /// type differs from its property's (a bigint column read into an int), the mapping switches for good to a
    /// materializer that converts, and reads the row again.
    /// </summary>
    public T Materialize(DbDataReader reader)
    {
        if (_tolerant is null)
        {
            try
            {
                return _strict(reader);
            }
            catch (Exception exception) when (exception is InvalidCastException or FormatException or OverflowException or NotSupportedException or InvalidOperationException or System.Data.SqlTypes.SqlNullValueException)
            {
                _tolerant = CompileMaterializer(tolerant: true);
            }
        }

        return _tolerant(reader);
    }

    /// <summary>Reads the current row (columns in mapping order) into an existing record.</summary>
    public Action<DbDataReader, T> Populate { get; }

    private readonly Func<DbDataReader, T> _strict;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ColumnMask, StatementPlan> _updates = new();
    private Func<DbDataReader, T>? _tolerant;
    private Querying.QueryShapes? _queryShapes;
    private StatementPlan? _insertGenerated;
    private StatementPlan? _insertWithKey;

    public MappedColumn RequireKey(string operation) => Key ?? throw new ConfigurationException(
        $"Model {typeof(T).Name} has no key, so it cannot {operation}. Name a property Id or {typeof(T).Name}Id, or mark one [Key].",
        key: null);

    /// <summary>The mapped column for a property or column name (exact first, then case-insensitive), or null.</summary>
    public MappedColumn? FindColumn(string name) =>
        Columns.FirstOrDefault(c => c.Info.Property.Name == name || c.Info.Name == name || c.Name == name)
        ?? Columns.FirstOrDefault(c => string.Equals(c.Info.Property.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(c.Info.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    public MappedColumn ColumnFor(MemberInfo member) =>
        Columns.FirstOrDefault(c => c.Info.Property.Name == member.Name && c.Info.Property.DeclaringType!.IsAssignableFrom(member.DeclaringType ?? typeof(T)))
        ?? Columns.FirstOrDefault(c => c.Info.Property.Name == member.Name)
        ?? throw new NotSupportedException($"{typeof(T).Name}.{member.Name} is not a mapped column, so it cannot be used in a query. Use a mapped property.");

    /// <summary>The INSERT of a new record: generated key left out and read back, or given explicitly when it is set.</summary>
    public StatementPlan InsertPlan(bool withKey)
    {
        ref var plan = ref withKey ? ref _insertWithKey : ref _insertGenerated;
        if (plan is null)
        {
            var columns = Columns.Where(c => !c.Info.IsReadOnly && (withKey || !(c.Info.IsKey && c.Info.IsGenerated))).ToArray();
            var returnKey = !withKey && Key is { Info.IsGenerated: true };
            var sql = Dialect.Insert(Table, [.. columns.Select(c => c.Quoted)], [.. columns.Select(c => Dialect.ParameterPlaceholder(c.ParameterName))], returnKey ? Key!.Quoted : null);
            plan = new StatementPlan(sql, columns, key: null, KeyParameterName);
        }

        return plan;
    }

    /// <summary>Replaces the byte arrays of a new snapshot with copies; null when the model has no byte array.</summary>
    public Action<T>? CopyArrays { get; }

    /// <summary>The columns whose value in <paramref name="record"/> differs from <paramref name="snapshot"/>, keys and computed columns left out.</summary>
    public ColumnMask Changes(T record, T snapshot) =>
        ColumnMask.Of(Columns.Count, (Columns, record, snapshot), static (state, i) =>
            state.Columns[i] is { Info.IsKey: false, Info.IsReadOnly: false } column && !column.Equal(state.record, state.snapshot));

    /// <summary>The UPDATE of the columns in <paramref name="changed"/>, built once per set of columns.</summary>
    public StatementPlan UpdatePlan(ColumnMask changed)
    {
        return _updates.GetOrAdd(changed, static (mask, mapping) => mapping.BuildUpdate(mask), this);
    }

    private StatementPlan BuildUpdate(ColumnMask changed)
    {
        var key = RequireKey("be updated");
        var columns = Columns.Where(c => changed.Contains(c.Index)).ToArray();
        var sql = new StringBuilder("UPDATE ").Append(Table).Append(" SET ");
        for (var i = 0; i < columns.Length; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(columns[i].Quoted).Append(" = ").Append(Dialect.ParameterPlaceholder(columns[i].ParameterName));
        }

        sql.Append(" WHERE ").Append(key.Quoted).Append(" = ").Append(Dialect.ParameterPlaceholder("key"));
        return new StatementPlan(sql.ToString(), columns, key, KeyParameterName);
    }

    private Func<DbDataReader, T> CompileMaterializer(bool tolerant)
    {
        var reader = Expression.Parameter(typeof(DbDataReader), "reader");
        var record = Expression.Variable(typeof(T), "record");
        var body = new List<Expression> { Expression.Assign(record, Expression.New(typeof(T))) };
        body.AddRange(Columns.Select(c => Assign(c, reader, record, tolerant)));
        body.Add(record);
        return Expression.Lambda<Func<DbDataReader, T>>(Expression.Block([record], body), reader).Compile();
    }

    private Action<T>? CompileCopyArrays()
    {
        var arrays = Columns.Where(c => c.Info.Property.PropertyType == typeof(byte[])).ToArray();
        if (arrays.Length == 0)
        {
            return null;
        }

        var snapshot = Expression.Parameter(typeof(T), "snapshot");
        var copy = typeof(ModelMapping<T>).GetMethod(nameof(CopyOf), BindingFlags.NonPublic | BindingFlags.Static)!;
        return Expression.Lambda<Action<T>>(
            Expression.Block(arrays.Select(c => Expression.Assign(Expression.Property(snapshot, c.Info.Property), Expression.Call(copy, Expression.Property(snapshot, c.Info.Property))))),
            snapshot).Compile();
    }

    private static byte[]? CopyOf(byte[]? bytes) => bytes is null ? null : (byte[])bytes.Clone();

    private Action<DbDataReader, T> CompilePopulate()
    {
        var reader = Expression.Parameter(typeof(DbDataReader), "reader");
        var record = Expression.Parameter(typeof(T), "record");
        return Expression.Lambda<Action<DbDataReader, T>>(Expression.Block(Columns.Select(c => Assign(c, reader, record, tolerant: true))), reader, record).Compile();
    }

    /// <summary>
    /// <c>record.P = reader.IsDBNull(i) ? default : reader.GetInt64(i)</c>: the driver's typed getter where there is one
    /// (no boxing), <c>GetFieldValue&lt;P&gt;</c> otherwise, enums read as their underlying type. The tolerant form goes
    /// through <see cref="ColumnReader"/>, which converts and names the column when it cannot.
    /// </summary>
    private static BinaryExpression Assign(MappedColumn column, ParameterExpression reader, Expression record, bool tolerant)
    {
        var property = column.Info.Property;
        var type = property.PropertyType;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        var ordinal = Expression.Constant(column.Index);
        var stored = underlying.IsEnum ? Enum.GetUnderlyingType(underlying) : underlying;
        Expression read = tolerant
            ? Expression.Call(typeof(ColumnReader), nameof(ColumnReader.Read), [stored], reader, ordinal, Expression.Constant(column.Info.Name), Expression.Constant(type))
            : TypedGetters.TryGetValue(stored, out var getter)
                ? Expression.Call(reader, getter, ordinal)
                : Expression.Call(reader, nameof(DbDataReader.GetFieldValue), [stored], ordinal);
        if (stored != type)
        {
            read = Expression.Convert(underlying.IsEnum ? Expression.Convert(read, underlying) : read, type);
        }

        if (!tolerant && type.IsValueType && Nullable.GetUnderlyingType(type) is null)
        {
            // A non-nullable property of a NOT NULL column: no null check. A NULL that turns up anyway makes the driver
            // throw, and the tolerant materializer (which checks) takes over.
            return Expression.Assign(Expression.Property(record, property), read);
        }

        var isNull = Expression.Call(reader, typeof(DbDataReader).GetMethod(nameof(DbDataReader.IsDBNull), [typeof(int)])!, ordinal);
        return Expression.Assign(Expression.Property(record, property), Expression.Condition(isNull, Expression.Default(type), read));
    }

    private static readonly Dictionary<Type, MethodInfo> TypedGetters = new()
    {
        [typeof(bool)] = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetBoolean))!,
        [typeof(byte)] = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetByte))!,
        [typeof(short)] = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetInt16))!,
        [typeof(int)] = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetInt32))!,
        [typeof(long)] = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetInt64))!,
        [typeof(float)] = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetFloat))!,
        [typeof(double)] = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetDouble))!,
        [typeof(decimal)] = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetDecimal))!,
        [typeof(string)] = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetString))!,
        [typeof(DateTime)] = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetDateTime))!,
        [typeof(Guid)] = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetGuid))!,
        [typeof(char)] = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetChar))!,
    };

    /// <summary>A mapped column with what is compiled for it.</summary>
    internal sealed class MappedColumn
    {
        public MappedColumn(ModelInfo.ColumnInfo info, string name, string quoted, int index)
        {
            Info = info;
            Name = name;
            Quoted = quoted;
            Index = index;
            var record = Expression.Parameter(typeof(T), "record");
            var other = Expression.Parameter(typeof(T), "other");
            var property = info.Property;
            Get = Expression.Lambda<Func<T, object?>>(Expression.Convert(Expression.Property(record, property), typeof(object)), record).Compile();
            var left = Expression.Property(record, property);
            var right = Expression.Property(other, property);
            Expression equal = property.PropertyType == typeof(byte[])
                ? Expression.Call(typeof(MappedColumn), nameof(BytesEqual), null, left, right)
                : Expression.Call(
                    Expression.Property(null, typeof(EqualityComparer<>).MakeGenericType(property.PropertyType), "Default"),
                    typeof(EqualityComparer<>).MakeGenericType(property.PropertyType).GetMethod("Equals", [property.PropertyType, property.PropertyType])!,
                    left,
                    right);
            Equal = Expression.Lambda<Func<T, T, bool>>(equal, record, other).Compile();
            ParameterName = "p" + index;
            var comparer = typeof(EqualityComparer<>).MakeGenericType(property.PropertyType);
            IsDefault = Expression.Lambda<Func<T, bool>>(
                Expression.Call(
                    Expression.Property(null, comparer, "Default"),
                    comparer.GetMethod("Equals", [property.PropertyType, property.PropertyType])!,
                    Expression.Property(record, property),
                    Expression.Default(property.PropertyType)),
                record).Compile();
            var value = Expression.Parameter(typeof(object), "value");
            Set = Expression.Lambda<Action<T, object?>>(
                Expression.Assign(Expression.Property(record, property), Expression.Call(typeof(ValueConverter), nameof(ValueConverter.ToExactly), [property.PropertyType], value)),
                record,
                value).Compile();
        }

        /// <summary>The name of its parameter in generated statements (<c>p3</c>), never the caller's.</summary>
        public string ParameterName { get; }

        /// <summary>The driver's name of that parameter (<see cref="SqlDialect.GeneratedParameterName"/>).</summary>
        public required string BoundName { get; init; }

        /// <summary>Whether the record's value is the type's default (a key not yet assigned).</summary>
        public Func<T, bool> IsDefault { get; }

        /// <summary>Sets the property from a database value, converting it (a generated key read back).</summary>
        public Action<T, object?> Set { get; }

        public ModelInfo.ColumnInfo Info { get; }

        /// <summary>The column's real name on this connection, unquoted (as the catalog spells it under <c>naming: auto</c>, else its naming convention applied).</summary>
        public string Name { get; }

        public string Quoted { get; }

        /// <summary>The column's declared type as the catalog gave it (<c>naming: auto</c>), or null.</summary>
        public string? ColumnType { get; init; }

        /// <summary>The position in the select list, and the suffix of its parameter name.</summary>
        public int Index { get; }

        public Func<T, object?> Get { get; }

        public Func<T, T, bool> Equal { get; }

        private static bool BytesEqual(byte[]? a, byte[]? b) => StructuralComparisons.StructuralEqualityComparer.Equals(a, b);
    }

    /// <summary>A statement on one record's columns, built once, that binds the record's values without an intermediate list.</summary>
    internal sealed class StatementPlan(string sql, MappedColumn[] columns, MappedColumn? key, string keyParameterName) : IRecordParameters
    {
        public string Sql { get; } = sql;

        public MappedColumn[] Columns { get; } = columns;

        /// <summary>For UPDATE: the key column, bound last as <c>@key</c>.</summary>
        public MappedColumn? Key { get; } = key;

        public void Bind(DbCommand command, SqlDialect dialect, object record)
        {
            var typed = (T)record;
            for (var i = 0; i < Columns.Length; i++)
            {
                var column = Columns[i];
                var value = column.Get(typed);
                if (column.ColumnType is { } columnType && value is not null && dialect.CannotStoreValueInColumn(value, columnType) is { } reason)
                {
                    throw new ArgumentException(
                        $"{typeof(T).Name}.{column.Info.Property.Name} cannot be saved: column {column.Name} is declared {columnType}, and {reason}");
                }

                ParameterBinder.SetExact(command, dialect, i, column.BoundName, value);
            }

            var count = Columns.Length;
            if (Key is not null)
            {
                // The key as loaded: the record's snapshot holds it (an update of a changed key is refused earlier).
                ParameterBinder.SetExact(command, dialect, count++, keyParameterName, Key.Get(typed));
            }

            ParameterBinder.TrimTo(command, count);
        }
    }
}
