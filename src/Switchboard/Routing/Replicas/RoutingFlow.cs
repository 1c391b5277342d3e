namespace Switchboard.Routing.Replicas;

/// <summary>
/// The routing state of one async flow: <c>UsingPrimary</c> / <c>UsingReplicas</c>, and the flow's causal session
/// (what it wrote, and where). Immutable frames behind one <see cref="AsyncLocal{T}"/>; the session is shared by reference,
/// so that writes made in a called async method are seen by the caller's later reads.
/// </summary>
internal sealed class RoutingFlow
{
    private static readonly AsyncLocal<RoutingFlow?> s_current = new();

    // Set once any UsingReplicas scope has been opened: until then, a connection without replicas never reads the flow.
    private static volatile bool s_replicasForcedEver;

    private RoutingFlow(RoutingForce force, CausalSession? session)
    {
        Force = force;
        Session = session;
    }

    public static RoutingFlow? Current => s_current.Value;

    /// <summary>Whether a connection without replicas has to look at the flow (to refuse writes inside <c>UsingReplicas</c>).</summary>
    public static bool MayRefuseWrites => s_replicasForcedEver;

    public RoutingForce Force { get; }

    public CausalSession? Session { get; }

    /// <summary>The flow's causal session, created (from what the process has written) when the flow has none yet.</summary>
    /// <remarks>
    /// Called synchronously from public entry points, so that the session lands in the caller's flow and outlives the
    /// async method that writes. A flow that never gets one falls back to what the whole process wrote, which is never stale.
    /// </remarks>
    public static CausalSession EnsureSession()
    {
        var current = s_current.Value;
        if (current?.Session is { } session)
        {
            return session;
        }

        session = CausalSession.FromProcess();
        s_current.Value = new RoutingFlow(current?.Force ?? RoutingForce.None, session);
        return session;
    }

    public static IDisposable Push(RoutingForce force, CausalSession? session = null)
    {
        var previous = s_current.Value;
        if (force == RoutingForce.Replicas)
        {
            s_replicasForcedEver = true;
        }

        // A forced mode nests inside another: the inner one wins until it is disposed.
        s_current.Value = new RoutingFlow(force == RoutingForce.None ? previous?.Force ?? RoutingForce.None : force, session ?? previous?.Session ?? CausalSession.FromProcess());
        return new Frame(previous);
    }

    private sealed class Frame(RoutingFlow? previous) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                s_current.Value = previous;
            }
        }
    }
}

/// <summary>Where a flow's reads are forced to go.</summary>
internal enum RoutingForce
{
    None,

    /// <summary><c>UsingPrimary</c>: every read to primaries.</summary>
    Primary,

    /// <summary><c>UsingReplicas</c>: reads to replicas even after a write; writes refused.</summary>
    Replicas,
}
