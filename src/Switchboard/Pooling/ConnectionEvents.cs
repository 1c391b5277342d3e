namespace Switchboard;

/// <summary>
/// Process-wide subscriptions to the events of every pool of every registry.
/// To listen to one registry only, use <see cref="ConnectionRegistry.Events"/>.
/// </summary>
public static class ConnectionEvents
{
    /// <summary>Calls <paramref name="handler"/> when any pool hands out a connection; dispose the result to unsubscribe.</summary>
    public static IDisposable OnCheckout(Action<ConnectionEventArgs> handler) => ConnectionEventHub.Global.OnCheckout(handler);

    /// <summary>Calls <paramref name="handler"/> when a connection is given back to any pool; dispose the result to unsubscribe.</summary>
    public static IDisposable OnCheckin(Action<ConnectionEventArgs> handler) => ConnectionEventHub.Global.OnCheckin(handler);

    /// <summary>Calls <paramref name="handler"/> when any pool opens a physical connection; dispose the result to unsubscribe.</summary>
    public static IDisposable OnConnect(Action<ConnectionEventArgs> handler) => ConnectionEventHub.Global.OnConnect(handler);

    /// <summary>Calls <paramref name="handler"/> when any pool closes a physical connection; dispose the result to unsubscribe.</summary>
    public static IDisposable OnDisconnect(Action<ConnectionEventArgs> handler) => ConnectionEventHub.Global.OnDisconnect(handler);

    /// <summary>Calls <paramref name="handler"/> when any pool finds a connection dead and discards it; dispose the result to unsubscribe.</summary>
    public static IDisposable OnInvalidate(Action<ConnectionEventArgs> handler) => ConnectionEventHub.Global.OnInvalidate(handler);

    /// <summary>Calls <paramref name="handler"/> when any connection is about to retry failed work; dispose the result to unsubscribe.</summary>
    public static IDisposable OnRetry(Action<ConnectionEventArgs> handler) => ConnectionEventHub.Global.OnRetry(handler);
}
