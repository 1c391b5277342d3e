using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using Switchboard.Dialects;
using Switchboard.Records;

namespace Switchboard.Query;

/// <summary>
/// Translates a predicate over a model (<c>u =&gt; u.Status == "active" &amp;&amp; u.Age &gt; 18</c>) into a WHERE fragment.
/// Columns are always quoted identifiers; every value becomes a parameter.
/// </summary>
internal sealed class ExpressionTranslator<T>
    where T : ActiveRecord<T>, new()
{
    private readonly ModelMapping<T> _mapping;
    private readonly SqlDialect _dialect;
    private readonly SqlParameters _parameters;
    private readonly StringBuilder _sql = new();

    private ExpressionTranslator(ModelMapping<T> mapping, SqlParameters parameters)
    {
        _mapping = mapping;
        _dialect = mapping.Dialect;
        _parameters = parameters;
    }

    public static string Translate(Expression<Func<T, bool>> predicate, ModelMapping<T> mapping, SqlParameters parameters)
    {
        var translator = new ExpressionTranslator<T>(mapping, parameters);
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
                _sql.Append("NOT (");
                Predicate(not.Operand);
                _sql.Append(')');
                return;
            case BinaryExpression comparison when IsComparison(comparison.NodeType):
                Comparison(comparison);
                return;
            case MethodCallExpression call:
                Method(call);
                return;
            case MemberExpression member when IsColumn(member) && member.Type == typeof(bool):
                // u => u.IsActive
                _sql.Append(ColumnOf(member).Quoted).Append(" = ").Append(Parameter(true));
                return;
            default:
                if (!ReferencesParameter(expression))
                {
                    _sql.Append(Evaluate(expression) is true ? "1 = 1" : "1 = 0");
                    return;
                }

                throw Unsupported(expression);
        }
    }

    private void Comparison(BinaryExpression comparison)
    {
        var left = StripConvert(comparison.Left);
        var right = StripConvert(comparison.Right);
        var type = comparison.NodeType;
        if (!IsColumn(left) && IsColumn(right))
        {
            (left, right) = (right, left);
            type = Mirror(type);
        }

        if (left is MethodCallExpression { Method.Name: "CompareTo" } compare && IsZero(right))
        {
            // string.CompareTo(a, b) > 0, the only way to compare strings in C#.
            left = StripConvert(compare.Object!);
            right = StripConvert(compare.Arguments[0]);
        }

        var leftSql = Operand(left);
        if (!ReferencesParameter(right))
        {
            var value = Evaluate(right);
            if (value is null)
            {
                _sql.Append(leftSql).Append(type switch
                {
                    ExpressionType.Equal => " IS NULL",
                    ExpressionType.NotEqual => " IS NOT NULL",
                    _ => throw new NotSupportedException($"'{comparison}' compares with null using {type}; only == and != can compare with null."),
                });
                return;
            }

            _sql.Append(leftSql).Append(' ').Append(Operator(type)).Append(' ').Append(Parameter(value));
            return;
        }

        _sql.Append(leftSql).Append(' ').Append(Operator(type)).Append(' ').Append(Operand(right));
    }

    private void Method(MethodCallExpression call)
    {
        var method = call.Method;
        if (method.DeclaringType == typeof(string) && call.Object is not null && IsColumn(StripConvert(call.Object)) && call.Arguments.Count >= 1
            && method.Name is nameof(string.Contains) or nameof(string.StartsWith) or nameof(string.EndsWith))
        {
            var text = Evaluate(call.Arguments[0]) switch
            {
                string s => s,
                char c => c.ToString(),
                _ => throw new NotSupportedException($"'{call}' needs a non-null string argument."),
            };
            var escaped = _dialect.EscapeLike(text);
            var pattern = method.Name switch
            {
                nameof(string.Contains) => "%" + escaped + "%",
                nameof(string.StartsWith) => escaped + "%",
                _ => "%" + escaped,
            };
            _sql.Append(Operand(StripConvert(call.Object))).Append(" LIKE ").Append(Parameter(pattern)).Append(" ESCAPE '").Append(_dialect.LikeEscape).Append('\'');
            return;
        }

        if (method.Name == nameof(string.IsNullOrEmpty) && method.DeclaringType == typeof(string) && IsColumn(StripConvert(call.Arguments[0])))
        {
            var column = Operand(StripConvert(call.Arguments[0]));
            _sql.Append('(').Append(column).Append(" IS NULL OR ").Append(column).Append(" = ").Append(Parameter("")).Append(')');
            return;
        }

        if (method.Name == nameof(Enumerable.Contains))
        {
            // values.Contains(u.Id) as List<T>.Contains or Enumerable.Contains
            var (collection, item) = method.IsStatic ? (UnwrapSpan(call.Arguments[0]), call.Arguments[1]) : (call.Object!, call.Arguments[0]);
            if (IsColumn(StripConvert(item)) && !ReferencesParameter(collection))
            {
                var values = ((IEnumerable?)Evaluate(collection))?.Cast<object?>().ToList() ?? [];
                if (values.Count == 0)
                {
                    _sql.Append("1 = 0");
                    return;
                }

                _sql.Append(Operand(StripConvert(item))).Append(" IN (");
                for (var i = 0; i < values.Count; i++)
                {
                    _sql.Append(i == 0 ? "" : ", ").Append(Parameter(values[i]));
                }

                _sql.Append(')');
                return;
            }
        }

        if (method.Name == nameof(object.Equals) && call.Object is not null && call.Arguments.Count == 1)
        {
            Comparison(Expression.Equal(StripConvert(call.Object), Expression.Convert(call.Arguments[0], StripConvert(call.Object).Type)));
            return;
        }

        if (!ReferencesParameter(call))
        {
            _sql.Append(Evaluate(call) is true ? "1 = 1" : "1 = 0");
            return;
        }

        throw Unsupported(call);
    }

    private string Operand(Expression expression)
    {
        expression = StripConvert(expression);
        if (expression is MemberExpression member && IsColumn(member))
        {
            return ColumnOf(member).Quoted;
        }

        if (expression is MethodCallExpression { Method.DeclaringType: var declaring, Method.Name: "ToUpper" or "ToLower" or "ToUpperInvariant" or "ToLowerInvariant" or "Trim" } call
            && declaring == typeof(string) && call.Object is not null && IsColumn(StripConvert(call.Object)))
        {
            var function = call.Method.Name.StartsWith("ToUpper", StringComparison.Ordinal) ? "UPPER" : call.Method.Name.StartsWith("ToLower", StringComparison.Ordinal) ? "LOWER" : "TRIM";
            return function + "(" + Operand(call.Object) + ")";
        }

        if (!ReferencesParameter(expression))
        {
            return Parameter(Evaluate(expression));
        }

        throw Unsupported(expression);
    }

    private string Parameter(object? value) => _dialect.ParameterPlaceholder(_parameters.Add(value));

    private ModelMapping<T>.MappedColumn ColumnOf(MemberExpression member) => _mapping.ColumnFor(member.Member);

    private static bool IsColumn(Expression expression) =>
        StripConvert(expression) is MemberExpression { Expression: ParameterExpression };

    private static bool IsComparison(ExpressionType type) =>
        type is ExpressionType.Equal or ExpressionType.NotEqual or ExpressionType.LessThan or ExpressionType.LessThanOrEqual
            or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual;

    private static bool IsZero(Expression expression) => expression is ConstantExpression { Value: 0 };

    private static ExpressionType Mirror(ExpressionType type) => type switch
    {
        ExpressionType.LessThan => ExpressionType.GreaterThan,
        ExpressionType.LessThanOrEqual => ExpressionType.GreaterThanOrEqual,
        ExpressionType.GreaterThan => ExpressionType.LessThan,
        ExpressionType.GreaterThanOrEqual => ExpressionType.LessThanOrEqual,
        _ => type,
    };

    private static string Operator(ExpressionType type) => type switch
    {
        ExpressionType.Equal => "=",
        ExpressionType.NotEqual => "<>",
        ExpressionType.LessThan => "<",
        ExpressionType.LessThanOrEqual => "<=",
        ExpressionType.GreaterThan => ">",
        _ => ">=",
    };

    private static Expression StripConvert(Expression expression)
    {
        while (expression is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert)
        {
            expression = convert.Operand;
        }

        return expression;
    }

    /// <summary>
    /// C# 14 binds <c>array.Contains(x)</c> to <c>MemoryExtensions.Contains(ReadOnlySpan, x)</c> through an implicit
    /// conversion to a span, which cannot be evaluated as an object: read the array under the conversion instead.
    /// </summary>
    private static Expression UnwrapSpan(Expression expression) => expression switch
    {
        MethodCallExpression { Method.Name: "op_Implicit", Arguments: [var inner] } when IsSpan(expression.Type) => inner,
        UnaryExpression { NodeType: ExpressionType.Convert, Operand: var inner } when IsSpan(expression.Type) => inner,
        _ => expression,
    };

    private static bool IsSpan(Type type) =>
        type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(ReadOnlySpan<>) || type.GetGenericTypeDefinition() == typeof(Span<>));

    private static bool ReferencesParameter(Expression expression) => new ParameterFinder().Finds(expression);

    /// <summary>Evaluates a part of the predicate that does not depend on the record (a constant or a captured variable).</summary>
    private static object? Evaluate(Expression expression)
    {
        switch (expression)
        {
            case ConstantExpression constant:
                return constant.Value;
            case MemberExpression { Member: FieldInfo field } member:
                return field.GetValue(member.Expression is null ? null : Evaluate(member.Expression));
            case MemberExpression { Member: PropertyInfo property } member:
                return property.GetValue(member.Expression is null ? null : Evaluate(member.Expression));
            case UnaryExpression { NodeType: ExpressionType.Convert } convert when convert.Type == typeof(object) || Nullable.GetUnderlyingType(convert.Type) == convert.Operand.Type:
                return Evaluate(convert.Operand);
            default:
                return Expression.Lambda<Func<object?>>(Expression.Convert(expression, typeof(object))).Compile(preferInterpretation: true)();
        }
    }

    private static NotSupportedException Unsupported(Expression expression) =>
        new($"The expression '{expression}' cannot be translated to SQL. Compare properties with values (==, !=, <, >, <=, >=), combine with && || !, "
            + "or use string Contains/StartsWith/EndsWith and collection Contains; otherwise use Where(\"sql\", parameters).");

    private sealed class ParameterFinder : ExpressionVisitor
    {
        private bool _found;

        public bool Finds(Expression expression)
        {
            Visit(expression);
            return _found;
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            _found = true;
            return node;
        }
    }
}
