using System.Linq.Expressions;

namespace Switchboard.Querying;

/// <summary>
/// Walks the expressions of a query in one fixed order and reads its shape: node kinds, types, members, methods, and the
/// values of literal constants. A constant read through a member (a closure of captured variables) is a value of the
/// run, not of the shape. Three uses of one walk keep them in step: hashing a shape, recording it, and comparing a tree
/// with a recorded shape. A tree it cannot read with certainty (a nested lambda, a node used twice) is not cached.
/// </summary>
internal ref struct ShapeWalker
{
    private readonly WalkMode _mode;
    private readonly object?[]? _expected;
    private HashCode _hash;
    private readonly List<object?>? _tokens;
    private int _index;
    private ParameterExpression? _parameter;
    private object?[] _roots;
    private readonly Dictionary<Expression, int>? _positions;
    private readonly Dictionary<ConstantExpression, int>? _rootIndexes;

    private ShapeWalker(WalkMode mode, object?[]? expected, int roots)
    {
        _mode = mode;
        _expected = expected;
        _roots = roots == 0 ? [] : new object?[roots];
        Readable = true;
        if (mode == WalkMode.Record)
        {
            _tokens = [];
            _positions = new(ReferenceEqualityComparer.Instance);
            _rootIndexes = new(ReferenceEqualityComparer.Instance);
        }
    }

    private enum WalkMode
    {
        Hash,
        Record,
        Match,
    }

    /// <summary>False when the tree cannot be cached, or (comparing) differs from the recorded shape.</summary>
    public bool Readable { get; private set; }

    /// <summary>The number of constants read so far.</summary>
    public int RootCount { get; private set; }

    /// <summary>Hashes a shape.</summary>
    public static ShapeWalker ForHash() => new(WalkMode.Hash, null, 0);

    /// <summary>Records a shape: its tokens, each node's position, and where each constant is.</summary>
    public static ShapeWalker ForRecord() => new(WalkMode.Record, null, 4);

    /// <summary>Compares a tree with a recorded shape and collects the tree's constants.</summary>
    public static ShapeWalker ForMatch(object?[] tokens, int roots) => new(WalkMode.Match, tokens, roots);

    public readonly int Hash => _hash.ToHashCode();

    /// <summary>The constants read, in order: the closure objects and literals of this tree.</summary>
    public readonly object?[] Roots => _roots;

    public readonly object?[] Tokens => [.. _tokens!];

    public readonly Dictionary<Expression, int> Positions => _positions!;

    public readonly Dictionary<ConstantExpression, int> RootIndexes => _rootIndexes!;

    /// <summary>Whether a comparison read every recorded token.</summary>
    public readonly bool Complete => _expected is null || _index == _expected.Length;

    public void Int(long value)
    {
        switch (_mode)
        {
            case WalkMode.Hash:
                _hash.Add(value);
                break;
            case WalkMode.Record:
                _tokens!.Add(value);
                break;
            default:
                Readable &= _index < _expected!.Length && _expected[_index++] is long expected && expected == value;
                break;
        }
    }

    public void Literal(object? value)
    {
        switch (_mode)
        {
            case WalkMode.Hash:
                _hash.Add(value);
                break;
            case WalkMode.Record:
                _tokens!.Add(value);
                break;
            default:
                Readable &= _index < _expected!.Length && Equals(_expected[_index++], value);
                break;
        }
    }

    /// <summary>Reads a lambda of one parameter (a predicate or an order key).</summary>
    public void Lambda(LambdaExpression lambda)
    {
        if (lambda.Parameters.Count != 1)
        {
            Readable = false;
            return;
        }

        _parameter = lambda.Parameters[0];
        Literal(_parameter.Type);
        Node(lambda.Body);
    }

    private void Node(Expression? node)
    {
        if (!Readable)
        {
            return;
        }

        if (node is null)
        {
            Int(-1);
            return;
        }

        if (_positions is not null && node is not ParameterExpression && !_positions.TryAdd(node, _positions.Count))
        {
            // The same node twice: a later tree need not share it, so its positions would not say which value is which.
            Readable = false;
            return;
        }

        Int((long)node.NodeType);
        Literal(node.Type);
        switch (node)
        {
            case BinaryExpression binary when binary.Conversion is null:
                Literal(binary.Method);
                Int(binary.IsLiftedToNull ? 1 : 0);
                Node(binary.Left);
                Node(binary.Right);
                break;
            case UnaryExpression unary when unary.NodeType != ExpressionType.Quote:
                Literal(unary.Method);
                Node(unary.Operand);
                break;
            case MemberExpression member:
                Literal(member.Member);
                if (member.Expression is ConstantExpression closure)
                {
                    // A captured variable: the closure object is this run's, only its type is the shape's.
                    Literal(closure.Type);
                    Position(closure);
                    Root(closure);
                }
                else
                {
                    Node(member.Expression);
                }

                break;
            case ConstantExpression constant:
                Literal(constant.Value);
                Root(constant);
                break;
            case MethodCallExpression call:
                Literal(call.Method);
                Node(call.Object);
                Arguments(call.Arguments);
                break;
            case ParameterExpression parameter:
                Readable &= parameter == _parameter;
                break;
            case ConditionalExpression conditional:
                Node(conditional.Test);
                Node(conditional.IfTrue);
                Node(conditional.IfFalse);
                break;
            case NewExpression created:
                Literal(created.Constructor);
                Arguments(created.Arguments);
                break;
            case NewArrayExpression array:
                Arguments(array.Expressions);
                break;
            case TypeBinaryExpression test:
                Literal(test.TypeOperand);
                Node(test.Expression);
                break;
            case IndexExpression index:
                Literal(index.Indexer);
                Node(index.Object);
                Arguments(index.Arguments);
                break;
            case DefaultExpression:
                break;
            default:
                Readable = false;
                break;
        }
    }

    private void Arguments(System.Collections.ObjectModel.ReadOnlyCollection<Expression> arguments)
    {
        Int(arguments.Count);
        for (var i = 0; i < arguments.Count; i++)
        {
            Node(arguments[i]);
        }
    }

    private void Position(ConstantExpression closure)
    {
        if (_positions is not null && !_positions.TryAdd(closure, _positions.Count))
        {
            Readable = false;
        }
    }

    private void Root(ConstantExpression constant)
    {
        switch (_mode)
        {
            case WalkMode.Record:
                _rootIndexes![constant] = RootCount;
                if (RootCount == _roots.Length)
                {
                    Array.Resize(ref _roots, _roots.Length * 2);
                }

                _roots[RootCount] = constant.Value;
                break;
            case WalkMode.Match:
                if (RootCount < _roots.Length)
                {
                    _roots[RootCount] = constant.Value;
                }
                else
                {
                    Readable = false;
                }

                break;
        }

        RootCount++;
    }
}
