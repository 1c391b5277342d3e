using System.Collections.ObjectModel;
using System.Linq.Expressions;
using System.Reflection;
using Switchboard.Dialects;

namespace Switchboard.Querying;

/// <summary>
/// Switchboard's own translations of .NET methods in predicates, put in every dialect's <see cref="SqlMethodTable"/>
/// before the dialect adds its own: string searches and functions, IsNullOrEmpty, Equals, and collection Contains as IN.
/// </summary>
internal static class BuiltInMethods
{
    private static readonly Type[] EquatableTypes =
    [
        typeof(object), typeof(string), typeof(bool), typeof(char), typeof(byte), typeof(sbyte), typeof(short), typeof(ushort),
        typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(float), typeof(double), typeof(decimal), typeof(Guid),
        typeof(DateTime), typeof(DateTimeOffset), typeof(DateOnly), typeof(TimeOnly), typeof(TimeSpan), typeof(Enum), typeof(Nullable<>),
    ];

    private static readonly Type[] Collections =
    [
        typeof(List<>), typeof(HashSet<>), typeof(SortedSet<>), typeof(ICollection<>), typeof(Collection<>), typeof(ReadOnlyCollection<>),
        typeof(LinkedList<>), typeof(IReadOnlySet<>),
    ];

    public static void AddTo(SqlMethodTable methods)
    {
        foreach (var method in typeof(string).GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            switch (method.Name)
            {
                case nameof(string.Contains):
                    methods.Add(method, call => TextSearch(call, TextMatch.Contains));
                    break;
                case nameof(string.StartsWith):
                    methods.Add(method, call => TextSearch(call, TextMatch.StartsWith));
                    break;
                case nameof(string.EndsWith):
                    methods.Add(method, call => TextSearch(call, TextMatch.EndsWith));
                    break;
            }
        }

        Function(methods, nameof(string.ToUpper), "UPPER");
        Function(methods, nameof(string.ToUpperInvariant), "UPPER");
        Function(methods, nameof(string.ToLower), "LOWER");
        Function(methods, nameof(string.ToLowerInvariant), "LOWER");
        Function(methods, nameof(string.Trim), "TRIM");
        methods.Add(typeof(string).GetProperty(nameof(string.Length))!.GetMethod!, call => call.Dialect.TextLength(call.Sql(call.Instance!)));
        methods.Add(typeof(string).GetMethod(nameof(string.IsNullOrEmpty), [typeof(string)])!, IsNullOrEmpty);

        foreach (var type in EquatableTypes)
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (method.Name == nameof(Equals) && method.GetParameters().Length == 1)
                {
                    methods.Add(method, call => call.Equality(call.Instance!, call.Arguments[0]));
                }
            }
        }

        foreach (var type in Collections)
        {
            methods.Add(type.GetMethod(nameof(ICollection<int>.Contains))!, CollectionContains);
        }

        methods.Add(typeof(Enumerable).GetMethods().Single(m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2), CollectionContains);
        foreach (var method in typeof(MemoryExtensions).GetMethods(BindingFlags.Public | BindingFlags.Static))
        {
            // C# 14 binds array.Contains(x) to MemoryExtensions.Contains over a span.
            if (method.Name == nameof(MemoryExtensions.Contains) && method.IsGenericMethodDefinition && method.GetGenericArguments().Length == 1
                && method.GetParameters() is [{ ParameterType.IsGenericType: true } span, var item, ..] parameters && parameters.Length <= 3
                && (span.ParameterType.GetGenericTypeDefinition() == typeof(ReadOnlySpan<>) || span.ParameterType.GetGenericTypeDefinition() == typeof(Span<>))
                && item.ParameterType.IsGenericParameter)
            {
                methods.Add(method, CollectionContains);
            }
        }
    }

    private static void Function(SqlMethodTable methods, string name, string function) =>
        methods.Add(typeof(string).GetMethod(name, Type.EmptyTypes)!, call => function + "(" + call.Sql(call.Instance!) + ")");

    private static string IsNullOrEmpty(SqlMethodCall call)
    {
        var operand = call.Sql(call.Arguments[0]);
        return "(" + operand + " IS NULL OR " + operand + " = " + call.Fixed("") + ")";
    }

    /// <summary>values.Contains(u.Id): an instance Contains, or a static one whose first argument is the collection.</summary>
    private static string CollectionContains(SqlMethodCall call)
    {
        var (collection, item) = call.Instance is null ? (ExpressionParts.UnwrapSpan(call.Arguments[0]), call.Arguments[1]) : (call.Instance, call.Arguments[0]);
        if (call.Arguments.Count == 3 && !(call.Arguments[2] is ConstantExpression { Value: null }))
        {
            throw new NotSupportedException($"'{call.Expression}' compares with an equality comparer, which SQL cannot apply. Leave the comparer out.");
        }

        if (!call.ReadsRecord(item) || call.ReadsRecord(collection))
        {
            throw new NotSupportedException(
                $"'{call.Expression}' cannot be translated to SQL: Contains is an IN list when a collection of values holds a column (values.Contains(x.Id)). Use Where(\"sql\", parameters) otherwise.");
        }

        return call.In(item, collection);
    }

    /// <summary>string Contains/StartsWith/EndsWith: ordinal, or OrdinalIgnoreCase as LOWER on both sides; any other comparison is refused.</summary>
    private static string TextSearch(SqlMethodCall call, TextMatch match)
    {
        var instance = call.Instance!;
        if (!call.ReadsRecord(instance))
        {
            throw new NotSupportedException(
                $"'{call.Expression}' searches a value for a column's text, which cannot be translated to SQL. Search the column instead (x.Name.Contains(value)), or use Where(\"sql\", parameters).");
        }

        var argument = call.Arguments[0];
        if (call.ReadsRecord(argument))
        {
            throw new NotSupportedException($"'{call.Expression}' compares two columns; only a value can be searched for. Use Where(\"sql\", parameters) for this condition.");
        }

        var ignoreCase = false;
        if (call.Arguments.Count == 2 && call.Arguments[1].Type == typeof(StringComparison) && !call.ReadsRecord(call.Arguments[1]))
        {
            var comparison = (StringComparison)call.Value(call.Arguments[1])!;
            ignoreCase = comparison switch
            {
                StringComparison.Ordinal => false,
                StringComparison.OrdinalIgnoreCase => true,
                _ => throw new NotSupportedException(
                    $"'{call.Expression}' asks for StringComparison.{comparison}, which has no SQL translation. Use StringComparison.Ordinal, or OrdinalIgnoreCase (LOWER on both sides)."),
            };
        }
        else if (call.Arguments.Count != 1)
        {
            throw new NotSupportedException(
                $"'{call.Expression}' uses an overload of {call.Method.Name} that cannot be translated to SQL. Pass the text alone (ordinal), or with StringComparison.Ordinal or OrdinalIgnoreCase.");
        }

        var text = Text(call.Value(argument), call.Expression.ToString());
        var operand = call.Sql(instance);
        if (ignoreCase)
        {
            operand = "LOWER(" + operand + ")";
        }

        if (text.Length == 0)
        {
            // Every text contains, starts and ends with "" (and '' is NULL on Oracle, which would match nothing).
            return operand + " IS NOT NULL";
        }

        // The pattern's function is kept with the SQL: it holds the dialect and a description, never the tree (whose
        // closure would keep the first run's values alive).
        var dialect = call.Dialect;
        var description = call.Expression.ToString();
        var pattern = call.Parameter(argument, value =>
        {
            var searched = Text(value, description);
            return dialect.OrdinalTextPattern(match, ignoreCase ? searched.ToLowerInvariant() : searched);
        });
        return dialect.OrdinalTextMatch(match, operand, pattern);
    }

    private static string Text(object? value, string call) => value switch
    {
        string s => s,
        char c => c.ToString(),
        _ => throw new NotSupportedException($"'{call}' needs a non-null string argument."),
    };
}
