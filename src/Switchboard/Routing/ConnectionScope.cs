using Switchboard.Routing;

namespace Switchboard;

/// <summary>
/// Returned by <c>UsingConnection</c>: while it is not disposed, the model (and its subclasses) use the named connection
/// in this async flow and in the tasks started from it. Dispose it, with <c>using</c>, to restore what came before, even
/// after an exception.
/// </summary>
/// <remarks>
/// Disposing ends the scope for every flow that holds it, wherever the dispose runs. Open it in the method that runs
/// the queries: a scope opened inside an async method does not reach the method's caller (an async method's ambient
/// changes never flow back), and disposing it where it never applied throws <see cref="InvalidOperationException"/>.
/// </remarks>
public sealed class ConnectionScope : IDisposable
{
    private int _ended;

    internal ConnectionScope(Type modelType, string connectionName)
    {
        ModelType = modelType;
        ConnectionName = connectionName;
        AmbientContext.PushScope(this);
    }

    /// <summary>The model class the scope applies to (and its subclasses).</summary>
    public Type ModelType { get; }

    /// <summary>The connection the model uses inside the scope.</summary>
    public string ConnectionName { get; }

    internal bool IsEnded => Volatile.Read(ref _ended) != 0;

    /// <summary>Ends the scope, in every flow that holds it.</summary>
    /// <exception cref="InvalidOperationException">The scope never applied in the flow that disposes it (see the remarks); it has ended all the same.</exception>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0 && !AmbientContext.PopScope(this))
        {
            ThrowNotInThisFlow();
        }
    }

    private void ThrowNotInThisFlow() => throw new InvalidOperationException(
        $"The scope that switches {ModelType.Name} to '{ConnectionName}' was disposed in an async flow where it never applied: it was opened "
        + "in an async method that has since returned (an async method's ambient changes do not flow back to its caller), or in an unrelated task. "
        + $"Queries of this flow did not use '{ConnectionName}'; the scope has ended everywhere now. Call {ModelType.Name}.UsingConnection(\"{ConnectionName}\") "
        + "in the method that runs the queries and dispose it there with using, or pass the name to Using for one query.");
}
