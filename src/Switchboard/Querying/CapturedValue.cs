using System.Linq.Expressions;
using System.Reflection;

namespace Switchboard.Querying;

/// <summary>
/// Reads the value of one part of a predicate that does not depend on the record (a captured variable, a constant, a
/// computation over them) from the constants of a tree of the same shape: the closure objects of this run.
/// </summary>
internal sealed class CapturedValue
{
    private readonly int _root;
    private readonly MemberInfo[]? _members;
    private readonly Func<object?[], object?>? _compiled;

    private CapturedValue(int position, int root, MemberInfo[]? members, Func<object?[], object?>? compiled)
    {
        Position = position;
        _root = root;
        _members = members;
        _compiled = compiled;
    }

    /// <summary>Where the part is in the shape (its node's number in preorder).</summary>
    public int Position { get; }

    /// <summary>
    /// Builds the reader of <paramref name="part"/>: a constant's value, a chain of fields and properties from a constant
    /// or a static member (a closure's variable), or else the part compiled over the tree's constants.
    /// </summary>
    public static CapturedValue For(int position, Expression part, IReadOnlyDictionary<ConstantExpression, int> roots)
    {
        var members = new List<MemberInfo>();
        var node = part;
        while (node is MemberExpression { Member: FieldInfo or PropertyInfo } member)
        {
            members.Add(member.Member);
            node = member.Expression;
        }

        members.Reverse();
        if (node is null)
        {
            return new(position, -1, [.. members], null);
        }

        if (node is ConstantExpression constant && roots.TryGetValue(constant, out var root))
        {
            return new(position, root, [.. members], null);
        }

        var array = Expression.Parameter(typeof(object?[]), "constants");
        var body = new RootReplacer(array, roots).Visit(part);
        var lambda = Expression.Lambda<Func<object?[], object?>>(Expression.Convert(body, typeof(object)), array);
        return new(position, -1, null, lambda.Compile(preferInterpretation: true));
    }

    public object? Read(object?[] roots)
    {
        if (_compiled is not null)
        {
            return _compiled(roots);
        }

        var value = _root < 0 ? null : roots[_root];
        foreach (var member in _members!)
        {
            value = member is FieldInfo field ? field.GetValue(value) : ((PropertyInfo)member).GetValue(value);
        }

        return value;
    }

    private sealed class RootReplacer(ParameterExpression array, IReadOnlyDictionary<ConstantExpression, int> roots) : ExpressionVisitor
    {
        protected override Expression VisitConstant(ConstantExpression node) =>
            roots.TryGetValue(node, out var index)
                ? Expression.Convert(Expression.ArrayIndex(array, Expression.Constant(index)), node.Type)
                : node;
    }
}
