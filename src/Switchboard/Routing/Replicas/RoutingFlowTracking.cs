namespace Switchboard.Routing.Replicas;

/// <summary>Entry points of writes call <see cref="Track"/>: while any connection has replicas, the caller's flow gets a causal session.</summary>
internal static class RoutingFlowTracking
{
    public static void Track()
    {
        if (ReplicaSet.AnyLive)
        {
            RoutingFlow.EnsureSession();
        }
    }
}
