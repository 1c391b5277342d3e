namespace Switchboard;

/// <summary>
/// A statement did not finish within <see cref="ConnectionConfig.CommandTimeout"/>: Switchboard cancelled it through the
/// driver and, when the cancel did not get through in time, closed its connection. Whether the statement took effect is
/// unknown (inside a transaction, the transaction is lost). It is transient; the connection it ran on was discarded.
/// It is a <see cref="StatementException"/> of kind <see cref="StatementErrorKind.Timeout"/>.
/// </summary>
public sealed class CommandTimeoutException : StatementException
{
    /// <summary>Creates the exception for a statement that outlived its command timeout.</summary>
    /// <param name="message">What happened and what to change.</param>
    /// <param name="connectionName">The connection the statement ran on.</param>
    /// <param name="timeout">The command timeout it outlived.</param>
    /// <param name="innerException">The driver's exception, when the driver reported one.</param>
    public CommandTimeoutException(string message, string connectionName, TimeSpan timeout, Exception? innerException)
        : base(message, connectionName, StatementErrorKind.Timeout, isTransient: true, innerException)
    {
        Timeout = timeout;
    }

    /// <summary>The command timeout the statement outlived.</summary>
    public TimeSpan Timeout { get; }
}
