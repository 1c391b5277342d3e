namespace Switchboard;

/// <summary>The base of every exception Switchboard throws; driver exceptions are kept as <see cref="Exception.InnerException"/>.</summary>
public class SwitchboardException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public SwitchboardException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public SwitchboardException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception that names the connection it happened on.</summary>
    public SwitchboardException(string message, string? connectionName, bool isTransient, Exception? innerException)
        : base(message, innerException)
    {
        ConnectionName = connectionName;
        IsTransient = isTransient;
    }

    /// <summary>The name of the connection the failure happened on, when there is one.</summary>
    public string? ConnectionName { get; }

    /// <summary>
    /// Whether retrying the same work may succeed (connection lost, server shutting down, too many
    /// connections, deadlock, serialization failure, lock timeout), as decided by the engine's provider.
    /// </summary>
    public bool IsTransient { get; }
}
