using Switchboard.Routing;

namespace Switchboard;

/// <summary>
/// Returned by <c>UsingConnection</c>: while it is not disposed, the model (and its subclasses) use the named connection
/// in this async flow. Dispose it, with <c>using</c>, to restore what came before, even after an exception.
/// </summary>
public sealed class ConnectionScope : IDisposable
{
    private AmbientContext.ScopeFrame? _frame;

    internal ConnectionScope(Type modelType, string connectionName)
    {
        ModelType = modelType;
        ConnectionName = connectionName;
        _frame = AmbientContext.PushScope(modelType, connectionName);
    }

    /// <summary>The model class the scope applies to (and its subclasses).</summary>
    public Type ModelType { get; }

    /// <summary>The connection the model uses inside the scope.</summary>
    public string ConnectionName { get; }

    /// <summary>Ends the scope.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _frame, null) is { } frame)
        {
            AmbientContext.PopScope(frame);
        }
    }
}
