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

    internal ConnectionEventArgs(ConnectionEventKind kind, long id, string connectionName, string driver, ConnectionCloseReason closeReason)
        : this(kind, id, connectionName, driver, Pooling.CloseReasons.Describe(closeReason))
    {
        CloseReason = closeReason;
    }

    internal ConnectionEventArgs(string connectionName, string driver, string reason, int attempt, TimeSpan delay)
        : this(ConnectionEventKind.Retry, 0, connectionName, driver, reason)
    {
        Attempt = attempt;
        Delay = delay;
    }

    /// <summary>What happened.</summary>
    public ConnectionEventKind Kind { get; }

    /// <summary>The physical connection's id, unique in the process; 0 for <see cref="ConnectionEventKind.Retry"/>, which concerns work rather than one connection.</summary>
    public long Id { get; }

    /// <summary>The name of the configured connection (the pool) it belongs to.</summary>
    public string ConnectionName { get; }

    /// <summary>The driver's name (<c>sqlite</c>, <c>postgresql</c>, ...).</summary>
    public string Driver { get; }

    /// <summary>
    /// For <see cref="ConnectionEventKind.Disconnect"/> and <see cref="ConnectionEventKind.Invalidate"/>: why, as text (<c>recycled</c>, <c>idle</c>,
    /// <c>disposed</c>, <c>broken</c>, <c>disconnected</c>, <c>invalidated</c>, <c>failed pre-ping</c>, ...); <see cref="CloseReason"/> gives the
    /// same as a value. For <see cref="ConnectionEventKind.Retry"/>: what failed (<c>connect</c>, <c>transient</c>, <c>deadlock</c>,
    /// <c>serialization_failure</c>).
    /// </summary>
    public string? Reason { get; }

    /// <summary>
    /// For <see cref="ConnectionEventKind.Disconnect"/> and <see cref="ConnectionEventKind.Invalidate"/>: why, as a value to
    /// switch on (<see cref="Reason"/> holds the same as text); null for other events.
    /// </summary>
    public ConnectionCloseReason? CloseReason { get; }

    /// <summary>For <see cref="ConnectionEventKind.Retry"/>: the attempt that failed (1 for the first); 0 for other events.</summary>
    public int Attempt { get; }

    /// <summary>For <see cref="ConnectionEventKind.Retry"/>: the wait before the next attempt; zero for other events.</summary>
    public TimeSpan Delay { get; }

    /// <inheritdoc />
    public override string ToString() => Kind == ConnectionEventKind.Retry
        ? $"Retry of work on '{ConnectionName}' after attempt {Attempt} ({Reason})"
        : Reason is null
        ? $"{Kind} connection {Id} of '{ConnectionName}'"
        : $"{Kind} connection {Id} of '{ConnectionName}' ({Reason})";
}
