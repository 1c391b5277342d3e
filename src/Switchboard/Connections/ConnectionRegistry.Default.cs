namespace Switchboard;

/// <summary>The process-wide default registry, and handing it to a registry the application built (<see cref="SetDefault"/>).</summary>
public sealed partial class ConnectionRegistry
{
    private static readonly ConnectionRegistry BuiltInDefault = new();
    private static readonly Lock DefaultGate = new();
    private static readonly List<DefaultLease> DefaultLeases = [];
    private static ConnectionRegistry? s_default;

    /// <summary>
    /// The process-wide default: the registry behind <see cref="ConnectionManager"/>, and the one models use unless
    /// <see cref="Activate"/> says otherwise for the flow.
    /// </summary>
    /// <value>The registry most recently made the default by <see cref="SetDefault"/> whose handle is not disposed; otherwise
    /// a built-in registry on <see cref="TimeProvider.System"/>.</value>
    public static ConnectionRegistry Default => Volatile.Read(ref s_default) ?? BuiltInDefault;

    /// <summary>
    /// Makes <paramref name="registry"/> the process-wide <see cref="Default"/> (for models and <see cref="ConnectionManager"/>)
    /// until the returned handle is disposed, such as a registry a DI container built on the host's logger factory and clock.
    /// </summary>
    /// <param name="registry">The registry to make the default.</param>
    /// <returns>
    /// A handle. Disposing it hands the default back to the newest registry whose handle is still undisposed, or to the built-in
    /// one; a handle disposed after a later <see cref="SetDefault"/> changes nothing, so a late-disposed host never takes the
    /// default from the host that followed it. Disposing it twice does nothing more.
    /// </returns>
    /// <remarks>It neither configures nor disposes any connection: the caller still owns <paramref name="registry"/>.</remarks>
    public static IDisposable SetDefault(ConnectionRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var lease = new DefaultLease(registry);
        lock (DefaultGate)
        {
            DefaultLeases.Add(lease);
            Volatile.Write(ref s_default, registry);
        }

        return lease;
    }

    private sealed class DefaultLease(ConnectionRegistry registry) : IDisposable
    {
        public void Dispose()
        {
            lock (DefaultGate)
            {
                var index = DefaultLeases.IndexOf(this);
                if (index < 0)
                {
                    return;
                }

                DefaultLeases.RemoveAt(index);
                if (index == DefaultLeases.Count)
                {
                    // This was the newest: the default falls back to the newest handle still alive, never to a released one.
                    Volatile.Write(ref s_default, DefaultLeases.Count > 0 ? DefaultLeases[^1].Registry : null);
                }
            }
        }

        public ConnectionRegistry Registry => registry;
    }
}
