using Microsoft.Extensions.Logging;

namespace Switchboard.Extensions.Hosting.Internal;

/// <summary>
/// Which host's <see cref="ILoggerFactory"/> <see cref="ConnectionRegistry.Default"/> logs to. Hosts in one process
/// may start and be disposed in any order (WebApplication.Run disposes its host after the next may have started),
/// so a disposed host hands logging to the newest host still alive, or back to what was set before any host.
/// </summary>
internal static class DefaultRegistryLogging
{
    private static readonly Lock Gate = new();
    private static readonly List<Lease> Live = [];
    private static ILoggerFactory? s_beforeHosts;

    public static IDisposable Use(ILoggerFactory? factory)
    {
        lock (Gate)
        {
            if (Live.Count == 0)
            {
                s_beforeHosts = ConnectionRegistry.Default.LoggerFactory;
            }

            var lease = new Lease(factory);
            Live.Add(lease);
            ConnectionRegistry.Default.LoggerFactory = factory;
            return lease;
        }
    }

    private static void Release(Lease lease)
    {
        lock (Gate)
        {
            if (!Live.Remove(lease))
            {
                return;
            }

            // A factory the application set in code after the host started is the application's choice: keep it.
            if (ReferenceEquals(ConnectionRegistry.Default.LoggerFactory, lease.Factory))
            {
                ConnectionRegistry.Default.LoggerFactory = Live.Count > 0 ? Live[^1].Factory : s_beforeHosts;
            }
        }
    }

    private sealed class Lease(ILoggerFactory? factory) : IDisposable
    {
        public ILoggerFactory? Factory => factory;

        public void Dispose() => Release(this);
    }
}
