using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using static Switchboard.Query.ExpressionParts;
using Switchboard.Dialects;
using Switchboard.Records;

namespace Switchboard.Query;

/// <summary>
/// Translates a predicate over a model (<c>u =&gt; u.Status == "active" &amp;&amp; u.Age &gt; 18</c>) into a WHERE fragment
/// that selects the rows for which the C# predicate would be true. Columns are always quoted identifiers; every value
/// becomes a parameter.
/// </summary>
/// <remarks>
/// SQL compares with NULL as "unknown", which WHERE drops and NOT keeps unknown; C# compares null as a value. So
/// <c>!=</c> against a nullable operand also keeps its NULL rows, and under a NOT every comparison is made two-valued
/// (<c>... AND x IS NOT NULL</c>) so that negating it keeps exactly the rows C# keeps. String matches are ordinal on every
/// engine (<see cref="SqlDialect.OrdinalTextMatch"/>).
/// </remarks>
internal sealed class ExpressionTranslator<T>
    where T : ActiveRecord<T>, new()
{
    private readonly ModelMapping<T> _mapping;
    private readonly SqlDialect _dialect;
    private readonly SqlParameters _parameters;
    private readonly StringBuilder _sql = new();
    private readonly Func<object?, string> _parameter;
    private int _negations;

    private ExpressionTranslator(ModelMapping<T> mapping, SqlParameters parameters)
    {
        _mapping = mapping;
        _dialect = mapping.Dialect;
        _parameters = parameters;
        _parameter = Parameter;
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
                _negations++;
                _sql.Append("NOT (");
                Predicate(not.Operand);
                _sql.Append(')');
                _negations--;
                return;
            case BinaryExpression comparison when IsComparison(comparison.NodeType):
                Comparison(comparison.Left, comparison.Right, comparison.NodeType, comparison);
                return;
            case MethodCallExpression call:
                Method(call);
                return;
            case MemberExpression member when IsColumn(member) && member.Type == typeof(bool):
                // u => u.IsActive
                Comparison(member, Expression.Constant(true), ExpressionType.Equal, member);
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

    private void Comparison(Expression left, Expression right, ExpressionType type, Expression whole)
    {
        left = StripConvert(left);
        right = StripConvert(right);
        if (!ReferencesParameter(left) && ReferencesParameter(right))
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

        var l = Operand(left);
        if (!ReferencesParameter(right))
        {
            var value = Evaluate(right);
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

            var comparison = l.Sql + " " + Operator(type) + " " + Parameter(value);
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

    private void Method(MethodCallExpression call)
    {
        var method = call.Method;
        if (method.DeclaringType == typeof(string) && call.Object is not null && method.Name is nameof(string.Contains) or nameof(string.StartsWith) or nameof(string.EndsWith))
        {
            StringMatch(call);
            return;
        }

        if (method.Name == nameof(string.IsNullOrEmpty) && method.DeclaringType == typeof(string) && ReferencesParameter(call.Arguments[0]))
        {
            var operand = Operand(call.Arguments[0]).Sql;
            _sql.Append('(').Append(operand).Append(" IS NULL OR ").Append(operand).Append(" = ").Append(Parameter("")).Append(')');
            return;
        }

        if (method.Name == nameof(Enumerable.Contains) && method.DeclaringType != typeof(string))
        {
            // values.Contains(u.Id) as List<T>.Contains, HashSet<T>.Contains, Enumerable.Contains or MemoryExtensions.Contains
            var (collection, item) = method.IsStatic ? (UnwrapSpan(call.Arguments[0]), call.Arguments[1]) : (call.Object!, call.Arguments[0]);
            if (ReferencesParameter(item) && !ReferencesParameter(collection))
            {
                In(Operand(item), Evaluate(collection));
                return;
            }
        }

        if (method.Name == nameof(object.Equals) && call.Object is not null && call.Arguments.Count == 1)
        {
            Comparison(call.Object, call.Arguments[0], ExpressionType.Equal, call);
            return;
        }

        if (!ReferencesParameter(call))
        {
            _sql.Append(Evaluate(call) is true ? "1 = 1" : "1 = 0");
            return;
        }

        throw Unsupported(call);
    }

    /// <summary>string Contains/StartsWith/EndsWith: ordinal, or OrdinalIgnoreCase as LOWER on both sides; any other comparison is refused.</summary>
    private void StringMatch(MethodCallExpression call)
    {
        if (!ReferencesParameter(call.Object!))
        {
            if (ReferencesParameter(call))
            {
                throw new NotSupportedException(
                    $"'{call}' searches a value for a column's text, which cannot be translated to SQL. Search the column instead (x.Name.Contains(value)), or use Where(\"sql\", parameters).");
            }

            _sql.Append(Evaluate(call) is true ? "1 = 1" : "1 = 0");
            return;
        }

        var argument = call.Arguments[0];
        if (ReferencesParameter(argument))
        {
            throw new NotSupportedException($"'{call}' compares two columns; only a value can be searched for. Use Where(\"sql\", parameters) for this condition.");
        }

        var ignoreCase = false;
        if (call.Arguments.Count == 2 && call.Arguments[1].Type == typeof(StringComparison) && !ReferencesParameter(call.Arguments[1]))
        {
            var comparison = (StringComparison)Evaluate(call.Arguments[1])!;
            ignoreCase = comparison switch
            {
                StringComparison.Ordinal => false,
                StringComparison.OrdinalIgnoreCase => true,
                _ => throw new NotSupportedException(
                    $"'{call}' asks for StringComparison.{comparison}, which has no SQL translation. Use StringComparison.Ordinal, or OrdinalIgnoreCase (LOWER on both sides)."),
            };
        }
        else if (call.Arguments.Count != 1)
        {
            throw new NotSupportedException(
                $"'{call}' uses an overload of {call.Method.Name} that cannot be translated to SQL. Pass the text alone (ordinal), or with StringComparison.Ordinal or OrdinalIgnoreCase.");
        }

        var text = Evaluate(argument) switch
        {
            string s => s,
            char c => c.ToString(),
            _ => throw new NotSupportedException($"'{call}' needs a non-null string argument."),
        };
        var operand = Operand(call.Object!).Sql;
        if (ignoreCase)
        {
            operand = "LOWER(" + operand + ")";
            text = text.ToLowerInvariant();
        }

        if (text.Length == 0)
        {
            // Every text contains, starts and ends with "" (and '' is NULL on Oracle, which would match nothing).
            _sql.Append(operand).Append(" IS NOT NULL");
            return;
        }

        var match = call.Method.Name switch
        {
            nameof(string.Contains) => Dialects.TextMatch.Contains,
            nameof(string.StartsWith) => Dialects.TextMatch.StartsWith,
            _ => Dialects.TextMatch.EndsWith,
        };
        _sql.Append(_dialect.OrdinalTextMatch(match, operand, text, _parameter));
    }

    /// <summary>IN over the values of any collection (a string is one value, not a list); a null among them matches NULL as C# does.</summary>
    private void In(SqlOperand item, object? collection)
    {
        if (collection is string or null)
        {
            throw new NotSupportedException("Contains over a string or a null collection cannot be translated to an IN list. Pass an array, a list or a set of values.");
        }

        var values = new List<object?>();
        var hasNull = false;
        foreach (var value in (IEnumerable)collection)
        {
            if (value is null)
            {
                hasNull = true;
            }
            else
            {
                values.Add(value);
            }
        }

        if (values.Count == 0)
        {
            _sql.Append(hasNull ? item.Sql + " IS NULL" : "1 = 0");
            return;
        }

        var sql = new StringBuilder(item.Sql).Append(" IN (");
        for (var i = 0; i < values.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(Parameter(values[i]));
        }

        sql.Append(')');
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

    /// <summary>A column, a string function of one (ToUpper, ToLower, Trim, Length), or a value as a parameter.</summary>
    private SqlOperand Operand(Expression expression)
    {
        expression = StripConvert(expression);
        if (expression is MemberExpression member && IsColumn(member))
        {
            var column = ColumnOf(member);
            var type = column.Info.Property.PropertyType;
            return new(column.Quoted, !type.IsValueType || Nullable.GetUnderlyingType(type) is not null);
        }

        if (expression is MethodCallExpression { Method.DeclaringType: var declaring, Method.Name: "ToUpper" or "ToLower" or "ToUpperInvariant" or "ToLowerInvariant" or "Trim", Arguments.Count: 0 } call
            && declaring == typeof(string) && call.Object is not null && ReferencesParameter(call.Object))
        {
            var function = call.Method.Name.StartsWith("ToUpper", StringComparison.Ordinal) ? "UPPER" : call.Method.Name.StartsWith("ToLower", StringComparison.Ordinal) ? "LOWER" : "TRIM";
            var inner = Operand(call.Object);
            return new(function + "(" + inner.Sql + ")", inner.Nullable);
        }

        if (expression is MemberExpression { Member.Name: nameof(string.Length), Expression: { Type: var owner } text } && owner == typeof(string) && ReferencesParameter(text))
        {
            var inner = Operand(text);
            return new(_dialect.TextLength(inner.Sql), inner.Nullable);
        }

        if (!ReferencesParameter(expression))
        {
            var value = Evaluate(expression);
            return new(Parameter(value), value is null);
        }

        throw Unsupported(expression);
    }

    private string Parameter(object? value) => _dialect.ParameterPlaceholder(_parameters.Add(value));

    private ModelMapping<T>.MappedColumn ColumnOf(MemberExpression member) => _mapping.ColumnFor(member.Member);

    private static NotSupportedException Unsupported(Expression expression) =>
        new($"The expression '{expression}' cannot be translated to SQL. Compare properties with values (==, !=, <, >, <=, >=), combine with && || !, "
            + "or use string Contains/StartsWith/EndsWith/ToUpper/ToLower/Length and collection Contains; otherwise use Where(\"sql\", parameters).");
}
