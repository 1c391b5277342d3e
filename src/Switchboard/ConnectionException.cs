namespace Switchboard;

/// <summary>
/// A connection could not be made, was lost, or could not be had from the pool.
/// Check <see cref="SwitchboardException.IsTransient"/> to decide whether to retry.
/// </summary>
public class ConnectionException : SwitchboardException
{
    /// <summary>Creates an exception with a message.</summary>
    public ConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public ConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception that names the connection and says whether a retry may succeed.</summary>
    public ConnectionException(string message, string? connectionName, bool isTransient, Exception? innerException)
        : base(message, connectionName, isTransient, innerException)
    {
    }

    /// <summary>
    /// The one account of a disposed connection, whether it is reached by name or through a <see cref="Connection"/> kept
    /// from before: a connection that cannot be had, not a configuration error, and the same type in a race with dispose.
    /// </summary>
    internal static ConnectionException Disposed(string name) => new(
        $"Connection '{name}' has been disposed. Configure it again with ConnectionManager.Configure(\"{name}\", ...) (or Configure on its registry) to use it.",
        name,
        isTransient: false,
        innerException: null);
}
