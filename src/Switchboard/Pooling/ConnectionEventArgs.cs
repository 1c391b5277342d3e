namespace Switchboard;

/// <summary>Describes one event of one physical connection.</summary>
public sealed class ConnectionEventArgs
{
    internal ConnectionEventArgs(ConnectionEventKind kind, long id, string connectionName, string driver, string? reason)
    {
        Kind = kind;
        Id = id;
        ConnectionName = connectionName;
        Driver = driver;
        Reason = reason;
    }

    /// <summary>What happened.</summary>
    public ConnectionEventKind Kind { get; }

    /// <summary>The physical connection's id, unique in the process.</summary>
    public long Id { get; }

    /// <summary>The name of the configured connection (the pool) it belongs to.</summary>
    public string ConnectionName { get; }

    /// <summary>The driver's name (<c>sqlite</c>, <c>postgresql</c>, ...).</summary>
    public string Driver { get; }

    /// <summary>For <see cref="ConnectionEventKind.Disconnect"/> and <see cref="ConnectionEventKind.Invalidate"/>: why (<c>recycled</c>, <c>idle</c>, <c>disposed</c>, <c>broken</c>, <c>disconnected</c>, <c>invalidated</c>, <c>failed pre-ping</c>).</summary>
    public string? Reason { get; }

    /// <inheritdoc />
    public override string ToString() => Reason is null
        ? $"{Kind} connection {Id} of '{ConnectionName}'"
        : $"{Kind} connection {Id} of '{ConnectionName}' ({Reason})";
}
