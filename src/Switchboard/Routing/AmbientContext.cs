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

    public static ScopeFrame PushScope(Type modelType, string connectionName)
    {
        var current = s_current.Value;
        var frame = new ScopeFrame(modelType, connectionName, current?.Scopes);
        Set(current?.Registry, frame, current?.Transactions);
        return frame;
    }

    public static void PopScope(ScopeFrame frame)
    {
        var current = s_current.Value;
        if (current is null)
        {
            return;
        }

        Set(current.Registry, Without(current.Scopes, frame, static f => f.Next, static (f, next) => f with { Next = next }), current.Transactions);
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
            Set(current.Registry, current.Scopes, Without(current.Transactions, found, static f => f.Next, static (f, next) => f with { Next = next }));
        }
    }

    /// <summary>The innermost scope that covers <paramref name="modelType"/> (scopes of a base class cover its subclasses).</summary>
    public string? FindScope(Type modelType)
    {
        for (var frame = Scopes; frame is not null; frame = frame.Next)
        {
            if (frame.ModelType == modelType || frame.ModelType.IsAssignableFrom(modelType))
            {
                return frame.ConnectionName;
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

    private static T? Without<T>(T? list, T frame, Func<T, T?> next, Func<T, T?, T> relink)
        where T : class
    {
        if (list is null)
        {
            return null;
        }

        if (ReferenceEquals(list, frame))
        {
            return next(list);
        }

        return relink(list, Without(next(list), frame, next, relink));
    }

    internal sealed record ScopeFrame(Type ModelType, string ConnectionName, ScopeFrame? Next);

    internal sealed record TransactionFrame(Transaction Transaction, TransactionFrame? Next);
}
