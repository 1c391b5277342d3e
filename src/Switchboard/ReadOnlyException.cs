namespace Switchboard;

/// <summary>A write was attempted on a connection that only allows reads (a replica, or a read-only record).</summary>
public sealed class ReadOnlyException : SwitchboardException
{
    /// <summary>Creates an exception with a message.</summary>
    public ReadOnlyException(string message, string? connectionName = null)
        : base(message, connectionName, isTransient: false, innerException: null)
    {
    }
}
