using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using Switchboard.Dialects;
using Switchboard.Records;
using static Switchboard.Querying.ExpressionParts;

namespace Switchboard.Querying;

/// <summary>
/// Translates a predicate over a model (<c>u =&gt; u.Status == "active" &amp;&amp; u.Age &gt; 18</c>) into a WHERE fragment
/// that selects the rows for which the C# predicate would be true. Columns are always quoted identifiers; every value
/// becomes a parameter. Methods are translated by the dialect's <see cref="SqlMethodTable"/>.
/// </summary>
/// <remarks>
/// SQL compares with NULL as "unknown", which WHERE drops and NOT keeps unknown; C# compares null as a value. So
/// <c>!=</c> against a nullable operand also keeps its NULL rows, and under a NOT every comparison is made two-valued
/// (<c>... AND x IS NOT NULL</c>) so that negating it keeps exactly the rows C# keeps. String matches are ordinal on every
/// engine (<see cref="SqlDialect.OrdinalTextMatch"/>). With a <see cref="ShapeRecorder"/>, every value is read as a
/// capture of the shape and every parameter says where its value comes from, so that the SQL can serve later runs;
/// the SQL may then depend on a value only as far as <see cref="ValueShape"/> tells values apart.
/// </remarks>
internal sealed class ExpressionTranslator<T> : IMethodCallWriter
    where T : ActiveRecord<T>, new()
{
    private static readonly MethodInfo StringCompareTo = typeof(string).GetMethod(nameof(string.CompareTo), [typeof(string)])!;

    private readonly ModelMapping<T> _mapping;
    private readonly SqlDialect _dialect;
    private readonly SqlParameters _parameters;
    private readonly ShapeRecorder? _recorder;
    private StringBuilder _sql = new();
    private int _negations;

    private ExpressionTranslator(ModelMapping<T> mapping, SqlParameters parameters, ShapeRecorder? recorder)
    {
        _mapping = mapping;
        _dialect = mapping.Dialect;
        _parameters = parameters;
        _recorder = recorder;
    }

    SqlDialect IMethodCallWriter.Dialect => _dialect;

    /// <summary>The WHERE fragment of <paramref name="predicate"/>; its parameters are added to <paramref name="parameters"/> (and their sources to <paramref name="recorder"/>).</summary>
    public static string Translate(Expression<Func<T, bool>> predicate, ModelMapping<T> mapping, SqlParameters parameters, ShapeRecorder? recorder = null)
    {
        var translator = new ExpressionTranslator<T>(mapping, parameters, recorder);
        translator.Predicate(predicate.Body);
        return translator._sql.ToString();
    }

    /// <summary>The column a member selector (<c>u =&gt; u.Name</c>) names.</summary>
    public static ModelMapping<T>.MappedColumn Column(LambdaExpression selector, ModelMapping<T> mapping)
    {
        var body = StripConvert(selector.Body);
        if (body is MemberExpression { Expression: ParameterExpression } member)
        {
            return mapping.ColumnFor(member.Member);
        }

        throw new NotSupportedException($"'{selector}' does not name a property of {typeof(T).Name}. Write it as x => x.Property.");
    }

    bool IMethodCallWriter.ReadsRecord(Expression expression) => ReferencesParameter(expression);

    SqlOperand IMethodCallWriter.Operand(Expression expression) => Operand(expression);

    string IMethodCallWriter.Parameter(Expression value, Func<object?, object?> convert)
    {
        var (capture, current) = Capture(value);
        var converted = convert(current);
        return AddParameter(converted, capture < 0 ? ParameterBinding.Fixed(converted) : ParameterBinding.Converted(capture, convert));
    }

    object? IMethodCallWriter.Value(Expression value) => Capture(value).Value;

    string IMethodCallWriter.Fixed(object? value) => AddParameter(value, ParameterBinding.Fixed(value));

    string IMethodCallWriter.In(Expression item, Expression collection) => Nested(() => In(Operand(item), collection));

    string IMethodCallWriter.Equality(Expression left, Expression right, Expression whole) =>
        Nested(() => Comparison(left, right, ExpressionType.Equal, whole));

    private void Predicate(Expression expression)
    {
        expression = StripConvert(expression);
        switch (expression)
        {
            case BinaryExpression { NodeType: ExpressionType.AndAlso or ExpressionType.OrElse } logical:
                _sql.Append('(');
                Predicate(logical.Left);
                _sql.Append(logical.NodeType == ExpressionType.AndAlso ? " AND " : " OR ");
                Predicate(logical.Right);
                _sql.Append(')');
                return;
            case UnaryExpression { NodeType: ExpressionType.Not } not:
                _negations++;
                _sql.Append("NOT (");
                Predicate(not.Operand);
                _sql.Append(')');
                _negations--;
                return;
            case BinaryExpression comparison when IsComparison(comparison.NodeType):
                Comparison(comparison.Left, comparison.Right, comparison.NodeType, comparison);
                return;
            case MemberExpression member when IsColumn(member) && member.Type == typeof(bool):
                // u => u.IsActive
                Comparison(member, Expression.Constant(true), ExpressionType.Equal, member);
                return;
            default:
                if (!ReferencesParameter(expression))
                {
                    _sql.Append(Capture(expression).Value is true ? "1 = 1" : "1 = 0");
                    return;
                }

                if (Translated(expression) is { } sql)
                {
                    _sql.Append(sql.Sql);
                    return;
                }

                throw Unsupported(expression);
        }
    }

    private void Comparison(Expression left, Expression right, ExpressionType type, Expression whole)
    {
        left = StripConvert(left);
        right = StripConvert(right);
        if (!ReferencesParameter(left) && ReferencesParameter(right))
        {
            (left, right) = (right, left);
            type = Mirror(type);
        }

        if (left is MethodCallExpression compare && compare.Method == StringCompareTo && IsZero(right))
        {
            // string.CompareTo(a, b) > 0, the only way to compare strings in C#.
            left = StripConvert(compare.Object!);
            right = StripConvert(compare.Arguments[0]);
        }

        var l = Operand(left);
        if (!ReferencesParameter(right))
        {
            var (capture, value) = Capture(right);
            if (value is null)
            {
                _sql.Append(l.Sql).Append(type switch
                {
                    ExpressionType.Equal => " IS NULL",
                    ExpressionType.NotEqual => " IS NOT NULL",
                    _ => throw new NotSupportedException($"'{whole}' compares with null using {type}; only == and != can compare with null."),
                });
                return;
            }

            var comparison = l.Sql + " " + Operator(type) + " " + Parameter(capture, value);
            if (type == ExpressionType.NotEqual && l.Nullable)
            {
                // C#: null != "abc" is true.
                _sql.Append('(').Append(comparison).Append(" OR ").Append(l.Sql).Append(" IS NULL)");
                return;
            }

            AppendTwoValued(comparison, l);
            return;
        }

        var r = Operand(right);
        if (type is ExpressionType.Equal or ExpressionType.NotEqual && (l.Nullable || r.Nullable))
        {
            // Two-valued null-safe equality, as C# compares: null == null is true, null == value is false.
            var equal = new StringBuilder("(").Append(l.Sql).Append(" = ").Append(r.Sql);
            equal.Append(NotNull(l)).Append(NotNull(r));
            equal.Append(')');
            if (l.Nullable && r.Nullable)
            {
                equal.Insert(0, '(').Append(" OR (").Append(l.Sql).Append(" IS NULL AND ").Append(r.Sql).Append(" IS NULL))");
            }

            _sql.Append(type == ExpressionType.NotEqual ? "NOT " : "").Append(equal);
            return;
        }

        AppendTwoValued(l.Sql + " " + Operator(type) + " " + r.Sql, l, r);
    }

    /// <summary>A method call or property read translated by the dialect's method table, or null when the table has none for it.</summary>
    private SqlOperand? Translated(Expression expression)
    {
        SqlMethodCall call;
        switch (expression)
        {
            case MethodCallExpression method:
                call = new SqlMethodCall(this, method, method.Method, method.Object, method.Arguments);
                break;
            case MemberExpression { Member: PropertyInfo { GetMethod: { } getter } } property:
                call = new SqlMethodCall(this, property, getter, property.Expression, []);
                break;
            default:
                return null;
        }

        if (_dialect.Methods.Find(call.Method) is not { } translator)
        {
            return null;
        }

        var sql = translator(call);
        return new SqlOperand(sql, call.MayBeNull);
    }

    /// <summary>IN over the values of any collection (a string is one value, not a list); a null among them matches NULL as C# does.</summary>
    private void In(SqlOperand item, Expression collectionExpression)
    {
        var (capture, collection) = Capture(collectionExpression);
        if (collection is string or null)
        {
            throw new NotSupportedException("Contains over a string or a null collection cannot be translated to an IN list. Pass an array, a list or a set of values.");
        }

        var values = ValueShape.NonNullItems(collection);
        var hasNull = false;
        foreach (var value in (System.Collections.IEnumerable)collection)
        {
            hasNull |= value is null;
        }

        if (values.Length == 0)
        {
            _sql.Append(hasNull ? item.Sql + " IS NULL" : "1 = 0");
            return;
        }

        var sql = new StringBuilder();
        if (InLists.AsOneParameter(_dialect, values) is { } dbValues)
        {
            // Past the engine's count of parameters per list: the whole list is one parameter, read as rows.
            var dialect = _dialect;
            var list = dialect.ListParameterValue(dbValues);
            var placeholder = AddParameter(list, capture < 0 ? ParameterBinding.Fixed(list) : ParameterBinding.Converted(capture, value => InLists.OneParameterValue(dialect, value)));
            sql.Append(item.Sql).Append(" IN (").Append(dialect.ListParameterSql(placeholder, dbValues)).Append(')');
        }
        else
        {
            var placeholders = new string[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                placeholders[i] = AddParameter(values[i], capture < 0 ? ParameterBinding.Fixed(values[i]) : ParameterBinding.Item(capture, i));
            }

            InLists.AppendList(sql, item.Sql, placeholders, _dialect);
        }

        if (hasNull)
        {
            _sql.Append('(').Append(sql).Append(" OR ").Append(item.Sql).Append(" IS NULL)");
            return;
        }

        AppendTwoValued(sql.ToString(), item);
    }

    /// <summary>Appends a comparison; under a NOT, a nullable operand's NULL makes it false rather than unknown, so that NOT keeps that row.</summary>
    private void AppendTwoValued(string comparison, SqlOperand first, SqlOperand second = default)
    {
        if (_negations == 0 || !(first.Nullable || second.Nullable))
        {
            _sql.Append(comparison);
            return;
        }

        _sql.Append('(').Append(comparison).Append(NotNull(first)).Append(NotNull(second)).Append(')');
    }

    private static string NotNull(SqlOperand operand) => operand.Nullable ? " AND " + operand.Sql + " IS NOT NULL" : "";

    /// <summary>A column, a translated function of one (ToUpper, Length...), or a value as a parameter.</summary>
    private SqlOperand Operand(Expression expression)
    {
        expression = StripConvert(expression);
        if (expression is MemberExpression member && IsColumn(member))
        {
            var column = ColumnOf(member);
            var type = column.Info.Property.PropertyType;
            return new(column.Quoted, !type.IsValueType || Nullable.GetUnderlyingType(type) is not null);
        }

        if (!ReferencesParameter(expression))
        {
            var (capture, value) = Capture(expression);
            return new(Parameter(capture, value), value is null);
        }

        if (expression.Type != typeof(bool) && Translated(expression) is { } translated)
        {
            return translated;
        }

        throw Unsupported(expression);
    }

    /// <summary>Reads a part that does not depend on the record: through the recorder, which keeps where it came from, or directly.</summary>
    private (int Capture, object? Value) Capture(Expression part) => _recorder?.Capture(part) ?? (-1, Evaluate(part));

    private string Parameter(int capture, object? value) =>
        AddParameter(value, capture < 0 ? ParameterBinding.Fixed(value) : ParameterBinding.Captured(capture));

    private string AddParameter(object? value, ParameterBinding binding)
    {
        _recorder?.Bind(binding);
        return _dialect.ParameterPlaceholder(_parameters.Add(value));
    }

    /// <summary>The SQL that <paramref name="write"/> appends, returned instead of appended.</summary>
    private string Nested(Action write)
    {
        var outer = _sql;
        _sql = new StringBuilder();
        try
        {
            write();
            return _sql.ToString();
        }
        finally
        {
            _sql = outer;
        }
    }

    private ModelMapping<T>.MappedColumn ColumnOf(MemberExpression member) => _mapping.ColumnFor(member.Member);

    private static NotSupportedException Unsupported(Expression expression) =>
        new($"The expression '{expression}' cannot be translated to SQL. Compare properties with values (==, !=, <, >, <=, >=), combine with && || !, "
            + "or use string Contains/StartsWith/EndsWith/ToUpper/ToLower/Length and collection Contains; otherwise use Where(\"sql\", parameters).");
}
