namespace Switchboard.Routing;

/// <summary>
/// Everything that flows with the async context, in one immutable object behind one <see cref="AsyncLocal{T}"/>:
/// the registry models use, the model scopes (<c>UsingConnection</c>) and the open transactions.
/// One read finds all three; null when none is set.
/// </summary>
internal sealed class AmbientContext
{
    private static readonly AsyncLocal<AmbientContext?> s_current = new();

    private AmbientContext(ConnectionRegistry? registry, ScopeFrame? scopes, TransactionFrame? transactions)
    {
        Registry = registry;
        Scopes = scopes;
        Transactions = transactions;
    }

    public static AmbientContext? Current => s_current.Value;

    public ConnectionRegistry? Registry { get; }

    public ScopeFrame? Scopes { get; }

    public TransactionFrame? Transactions { get; }

    public static void SetRegistry(ConnectionRegistry? registry)
    {
        var current = s_current.Value;
        Set(registry, current?.Scopes, current?.Transactions);
    }

    public static void PushScope(ConnectionScope scope)
    {
        var current = s_current.Value;
        Set(current?.Registry, new ScopeFrame(scope, WithoutEnded(current?.Scopes)), current?.Transactions);
    }

    /// <summary>Removes <paramref name="scope"/> from this flow; false when this flow never had it (another flow's, or an async method's that has returned).</summary>
    public static bool PopScope(ConnectionScope scope)
    {
        var current = s_current.Value;
        var found = false;
        for (var frame = current?.Scopes; frame is not null && !found; frame = frame.Next)
        {
            found = ReferenceEquals(frame.Scope, scope);
        }

        if (found)
        {
            Set(current!.Registry, WithoutEnded(current.Scopes), current.Transactions);
        }

        return found;
    }

    public static void PushTransaction(Transaction transaction)
    {
        var current = s_current.Value;
        Set(current?.Registry, current?.Scopes, new TransactionFrame(transaction, current?.Transactions));
    }

    public static void PopTransaction(Transaction transaction)
    {
        var current = s_current.Value;
        if (current?.Transactions is null)
        {
            return;
        }

        TransactionFrame? found = null;
        for (var frame = current.Transactions; frame is not null; frame = frame.Next)
        {
            if (ReferenceEquals(frame.Transaction, transaction))
            {
                found = frame;
                break;
            }
        }

        if (found is not null)
        {
            Set(current.Registry, current.Scopes, Without(current.Transactions, found));
        }
    }

    /// <summary>Whether <paramref name="transaction"/> is ambient in this flow (begun here or in a flow this one was started from, or bound here).</summary>
    public static bool Holds(Transaction transaction)
    {
        for (var frame = s_current.Value?.Transactions; frame is not null; frame = frame.Next)
        {
            if (ReferenceEquals(frame.Transaction, transaction))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The innermost scope that covers <paramref name="modelType"/> (scopes of a base class cover its subclasses).</summary>
    public string? FindScope(Type modelType)
    {
        for (var frame = Scopes; frame is not null; frame = frame.Next)
        {
            var scope = frame.Scope;
            if ((scope.ModelType == modelType || scope.ModelType.IsAssignableFrom(modelType)) && !scope.IsEnded)
            {
                return scope.ConnectionName;
            }
        }

        return null;
    }

    /// <summary>The innermost open transaction on <paramref name="connection"/> in this flow.</summary>
    public Transaction? FindTransaction(Connection connection)
    {
        for (var frame = Transactions; frame is not null; frame = frame.Next)
        {
            if (ReferenceEquals(frame.Transaction.Connection, connection) && frame.Transaction.IsOpen)
            {
                return frame.Transaction;
            }
        }

        return null;
    }

    private static void Set(ConnectionRegistry? registry, ScopeFrame? scopes, TransactionFrame? transactions) =>
        s_current.Value = registry is null && scopes is null && transactions is null ? null : new AmbientContext(registry, scopes, transactions);

    private static TransactionFrame? Without(TransactionFrame? list, TransactionFrame frame) =>
        list is null ? null
        : ReferenceEquals(list, frame) ? list.Next
        : list with { Next = Without(list.Next, frame) };

    /// <summary>
    /// The scopes without those that have ended. A scope ends when disposed in any flow, so a flow that still holds it
    /// (it was disposed from another task) stops using it at once; its frame is dropped here at the next change.
    /// </summary>
    private static ScopeFrame? WithoutEnded(ScopeFrame? list)
    {
        if (list is null)
        {
            return null;
        }

        var next = WithoutEnded(list.Next);
        return list.Scope.IsEnded ? next : ReferenceEquals(next, list.Next) ? list : list with { Next = next };
    }

    internal sealed record ScopeFrame(ConnectionScope Scope, ScopeFrame? Next);

    internal sealed record TransactionFrame(Transaction Transaction, TransactionFrame? Next);
}
