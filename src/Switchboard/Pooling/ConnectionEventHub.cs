namespace Switchboard;

/// <summary>
/// Subscriptions to connection events. <see cref="ConnectionEvents"/> holds the process-wide hub; each
/// <see cref="ConnectionRegistry"/> has its own in <see cref="ConnectionRegistry.Events"/>. With no subscriber an event costs nothing.
/// </summary>
public sealed class ConnectionEventHub
{
    private readonly Lock _gate = new();
    private readonly Action<ConnectionEventArgs>[][] _handlers = [[], [], [], [], [], []];

    internal ConnectionEventHub()
    {
    }

    /// <summary>Calls <paramref name="handler"/> when a connection is handed out; dispose the result to unsubscribe.</summary>
    public IDisposable OnCheckout(Action<ConnectionEventArgs> handler) => Subscribe(ConnectionEventKind.Checkout, handler);

    /// <summary>Calls <paramref name="handler"/> when a connection is given back; dispose the result to unsubscribe.</summary>
    public IDisposable OnCheckin(Action<ConnectionEventArgs> handler) => Subscribe(ConnectionEventKind.Checkin, handler);

    /// <summary>Calls <paramref name="handler"/> when a physical connection is opened; dispose the result to unsubscribe.</summary>
    public IDisposable OnConnect(Action<ConnectionEventArgs> handler) => Subscribe(ConnectionEventKind.Connect, handler);

    /// <summary>Calls <paramref name="handler"/> when a physical connection is closed; dispose the result to unsubscribe.</summary>
    public IDisposable OnDisconnect(Action<ConnectionEventArgs> handler) => Subscribe(ConnectionEventKind.Disconnect, handler);

    /// <summary>Calls <paramref name="handler"/> when a connection is found dead and discarded; dispose the result to unsubscribe.</summary>
    public IDisposable OnInvalidate(Action<ConnectionEventArgs> handler) => Subscribe(ConnectionEventKind.Invalidate, handler);

    /// <summary>Calls <paramref name="handler"/> when failed work is about to be retried; dispose the result to unsubscribe.</summary>
    public IDisposable OnRetry(Action<ConnectionEventArgs> handler) => Subscribe(ConnectionEventKind.Retry, handler);

    internal static ConnectionEventHub Global { get; } = new();

    internal bool HasHandlers(ConnectionEventKind kind) => Volatile.Read(ref _handlers[(int)kind]).Length != 0;

    /// <summary>Calls each handler; a handler that throws is reported and never disturbs the pool or the other handlers.</summary>
    internal void Raise(ConnectionEventArgs args, Action<Exception, ConnectionEventArgs> onHandlerError)
    {
        foreach (var handler in Volatile.Read(ref _handlers[(int)args.Kind]))
        {
            try
            {
                handler(args);
            }
            catch (Exception exception)
            {
                onHandlerError(exception, args);
            }
        }
    }

    private Subscription Subscribe(ConnectionEventKind kind, Action<ConnectionEventArgs> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _handlers[(int)kind] = [.. _handlers[(int)kind], handler];
        }

        return new Subscription(this, kind, handler);
    }

    private void Unsubscribe(ConnectionEventKind kind, Action<ConnectionEventArgs> handler)
    {
        lock (_gate)
        {
            var current = _handlers[(int)kind];
            var index = Array.IndexOf(current, handler);
            if (index >= 0)
            {
                _handlers[(int)kind] = [.. current[..index], .. current[(index + 1)..]];
            }
        }
    }

    private sealed class Subscription(ConnectionEventHub hub, ConnectionEventKind kind, Action<ConnectionEventArgs> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                hub.Unsubscribe(kind, handler);
            }
        }
    }
}
