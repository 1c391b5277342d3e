using System.Linq.Expressions;
using System.Reflection;

namespace Switchboard.Dialects;

/// <summary>
/// One call of a method (or read of a property) in a <c>Where</c> predicate, handed to its <see cref="SqlMethodTranslator"/>
/// with the ways to write its parts as SQL.
/// </summary>
/// <remarks>
/// The SQL written for a predicate is kept and used again for every predicate of the same shape, with new parameter
/// values: a translator must write values as parameters (<see cref="Sql"/>, <see cref="Parameter"/>), never into the text.
/// </remarks>
public sealed class SqlMethodCall
{
    private readonly IMethodCallWriter _writer;

    internal SqlMethodCall(IMethodCallWriter writer, Expression expression, MethodInfo method, Expression? instance, IReadOnlyList<Expression> arguments)
    {
        _writer = writer;
        Expression = expression;
        Method = method;
        Instance = instance;
        Arguments = arguments;
    }

    /// <summary>The call as written in the predicate (a method call, or a property read), for messages.</summary>
    public Expression Expression { get; }

    /// <summary>The method called (a property's getter for a property).</summary>
    public MethodInfo Method { get; }

    /// <summary>The object the method is called on, or null for a static method.</summary>
    public Expression? Instance { get; }

    /// <summary>The arguments, in order (an extension method's first argument is its <c>this</c>).</summary>
    public IReadOnlyList<Expression> Arguments { get; }

    /// <summary>The dialect the SQL is written for.</summary>
    public SqlDialect Dialect => _writer.Dialect;

    /// <summary>Whether the SQL of the call may be NULL: set when an operand read with <see cref="Sql"/> may be.</summary>
    internal bool MayBeNull { get; private set; }

    /// <summary>Whether <paramref name="expression"/> depends on the record (a column, or a function of one), not only on values.</summary>
    public bool ReadsRecord(Expression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return _writer.ReadsRecord(expression);
    }

    /// <summary>
    /// The SQL of an operand: a quoted column, a translated function of one, or, for an expression that does not read the
    /// record, the placeholder of a parameter whose value is read again on every run.
    /// </summary>
    /// <exception cref="NotSupportedException">The operand has no SQL translation.</exception>
    public string Sql(Expression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var operand = _writer.Operand(expression);
        MayBeNull |= operand.Nullable;
        return operand.Sql;
    }

    /// <summary>
    /// The placeholder of a parameter whose value is <paramref name="convert"/> applied to the value of
    /// <paramref name="value"/>, computed again on every run (a LIKE pattern made from a text).
    /// </summary>
    /// <param name="value">An expression that does not read the record.</param>
    /// <param name="convert">A function of the value alone: it is kept with the SQL and called for later runs too.</param>
    public string Parameter(Expression value, Func<object?, object?> convert)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(convert);
        return _writer.Parameter(value, convert);
    }

    /// <summary>
    /// The value of an expression that does not read the record, for a translator whose SQL depends on it. The SQL may
    /// depend only on whether the value is null, which <see cref="bool"/> or <see cref="StringComparison"/> it is,
    /// whether a string is empty, and how many items a collection holds and whether one is null: it is used again for
    /// later values that agree on these.
    /// </summary>
    public object? Value(Expression value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return _writer.Value(value);
    }

    /// <summary>An IN list of <paramref name="item"/> over the values of <paramref name="collection"/> (Switchboard's own collection Contains).</summary>
    internal string In(Expression item, Expression collection) => _writer.In(item, collection);

    /// <summary>A parameter holding a fixed value.</summary>
    internal string Fixed(object? value) => _writer.Fixed(value);

    /// <summary>The C# equality of two operands, as <c>==</c> translates it.</summary>
    internal string Equality(Expression left, Expression right) => _writer.Equality(left, right, Expression);
}

/// <summary>What a translator of a method call uses of the predicate's translation.</summary>
internal interface IMethodCallWriter
{
    SqlDialect Dialect { get; }

    bool ReadsRecord(Expression expression);

    Querying.SqlOperand Operand(Expression expression);

    string Parameter(Expression value, Func<object?, object?> convert);

    object? Value(Expression value);

    string In(Expression item, Expression collection);

    string Fixed(object? value);

    string Equality(Expression left, Expression right, Expression whole);
}
