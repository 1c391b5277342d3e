namespace Switchboard;

/// <summary>
/// A connection could not be made, was lost, or could not be had from the pool (the seed's <c>ConnectionError</c>).
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
}
