namespace Switchboard;

/// <summary>What happened to a physical connection.</summary>
public enum ConnectionEventKind
{
    /// <summary>A new physical connection was opened.</summary>
    Connect,

    /// <summary>A connection was handed out by the pool.</summary>
    Checkout,

    /// <summary>A connection was given back to the pool.</summary>
    Checkin,

    /// <summary>A physical connection was closed.</summary>
    Disconnect,

    /// <summary>A connection was found dead (a lost connection, a failed pre-ping) and discarded, with the idle ones older than it.</summary>
    Invalidate,

    /// <summary>
    /// Work that failed for a reason that may pass is about to run again (the connection's <c>retry</c> setting):
    /// <see cref="ConnectionEventArgs.Reason"/> says why, <see cref="ConnectionEventArgs.Attempt"/> which attempt failed.
    /// </summary>
    Retry,
}
