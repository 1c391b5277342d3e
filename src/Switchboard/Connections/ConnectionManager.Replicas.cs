using Switchboard.Routing.Replicas;

namespace Switchboard;

// Replica routing of the current async flow: forced targets, and the causal token that carries read-your-writes elsewhere.
public static partial class ConnectionManager
{
    /// <summary>
    /// Sends every read of this async flow (and the tasks it starts) to primaries until the result is disposed; writes are
    /// allowed, also inside <see cref="UsingReplicas"/>. Nests; dispose it with <c>using</c>.
    /// </summary>
    public static IDisposable UsingPrimary() => RoutingFlow.Push(RoutingForce.Primary);

    /// <summary>
    /// Sends every read of this async flow to replicas, even right after a write, and refuses every write (model or raw)
    /// with <see cref="ReadOnlyException"/> before it is sent, until the result is disposed. Replica sessions are read-only
    /// on the server as well, so a write that looks like a read fails there. Reads on connections without healthy replicas go to the primary.
    /// </summary>
    public static IDisposable UsingReplicas() => RoutingFlow.Push(RoutingForce.Replicas);

    /// <summary>
    /// The position of this flow's writes as opaque URL-safe text, covering every connection name it wrote to (with
    /// replicas); null when it wrote nothing. Give it to <see cref="ContinueAfter"/> in another flow or process (a cookie,
    /// a job message) so that reads there see these writes.
    /// </summary>
    /// <remarks>
    /// A flow is known from its first statement run directly in it, or from <see cref="ContinueAfter"/>; writes made in an
    /// async method called before that are covered too, by what the whole process has written.
    /// </remarks>
    public static string? CausalToken => Routing.Replicas.CausalToken.Encode(RoutingFlow.Current?.Session ?? (ReplicaSet.Live.Any(s => s.Floor is not null) ? CausalSession.FromProcess().AsOwn() : null));

    /// <summary>
    /// Resumes, in this async flow, the writes a <see cref="CausalToken"/> describes: until the result is disposed, reads see
    /// them (they go to a replica that has replayed them, or to the primary), and this flow's own writes are tracked from here.
    /// </summary>
    /// <param name="token">A <see cref="CausalToken"/> from another flow or process; null or empty to only start tracking this flow.</param>
    /// <exception cref="ArgumentException">The token is not one Switchboard made.</exception>
    public static IDisposable ContinueAfter(string? token)
    {
        var session = CausalSession.FromProcess();
        if (RoutingFlow.Current?.Session is { } current)
        {
            foreach (var (name, mark) in current.Marks)
            {
                session.Record(name, mark, ProtocolOf(name));
            }
        }

        if (!string.IsNullOrEmpty(token))
        {
            foreach (var (name, mark) in Routing.Replicas.CausalToken.Decode(token))
            {
                session.Record(name, mark, ProtocolOf(name));
            }
        }

        return RoutingFlow.Push(RoutingForce.None, session);
    }

    private static Dialects.ReplicaProtocol? ProtocolOf(string name) => ReplicaSet.Live.FirstOrDefault(s => s.Name == name)?.Protocol;
}
