namespace Switchboard;

/// <summary>A transaction was misused (committed twice, used after completion) or failed to begin, commit or roll back.</summary>
public sealed class TransactionException : SwitchboardException
{
    /// <summary>Creates an exception with a message.</summary>
    public TransactionException(string message, string? connectionName = null, Exception? innerException = null, bool isTransient = false)
        : base(message, connectionName, isTransient, innerException)
    {
    }
}
