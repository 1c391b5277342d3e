using Switchboard.Diagnostics;

namespace Switchboard.Routing.Replicas;

/// <summary>Where one statement goes: the primary (the default) or a replica, and what must happen around it.</summary>
internal readonly struct Route
{
    public Route(Replica? replica, string? askFor = null, bool recordWrite = false, string? required = null)
    {
        Replica = replica;
        AskFor = askFor;
        RecordWrite = recordWrite;
        Required = required ?? askFor;
    }

    /// <summary>The replica, or null for the primary.</summary>
    public Replica? Replica { get; }

    /// <summary>A position the replica must be asked to have replayed before the read runs there (else the read goes to the primary).</summary>
    public string? AskFor { get; }

    /// <summary>The position a replica must have replayed to take this read (a retry elsewhere must honour it too), or null.</summary>
    public string? Required { get; }

    /// <summary>A write outside a transaction on a connection with replicas: remember the primary's position after it.</summary>
    public bool RecordWrite { get; }
}

/// <summary>
/// The routing rules: a statement goes to a replica only when it reads, runs outside any transaction on that connection,
/// outside <c>UsingPrimary</c> and <c>OnPrimary</c>, and read-your-writes allows it. Writes inside <c>UsingReplicas</c> are refused.
/// </summary>
internal static class ReplicaRouter
{
    /// <summary>Decides where a statement goes; throws <see cref="ReadOnlyException"/> for a write inside <c>UsingReplicas</c>.</summary>
    public static Route Decide(Connection connection, ReplicaSet? set, string sql, StatementAccess access)
    {
        var flow = RoutingFlow.Current;
        var read = access switch
        {
            StatementAccess.Read or StatementAccess.ReadOnPrimary => true,
            StatementAccess.Write => false,
            _ => (set is not null || flow?.Force == RoutingForce.Replicas) && StatementClassifier.IsRead(sql, connection.DatabaseDriver.Lexicon),
        };

        if (!read)
        {
            BeforeWrite(connection, sql, flow);
            if (set is null)
            {
                return default;
            }

            var inTransaction = AmbientContext.Current?.FindTransaction(connection) is not null;
            RoutingMetrics.Count(connection, RoutingMetrics.Primary, inTransaction ? RoutingMetrics.Transaction : RoutingMetrics.Write);

            // Inside a transaction the position is read when it commits.
            return new Route(null, recordWrite: !inTransaction);
        }

        if (set is null)
        {
            return default;
        }

        if (AmbientContext.Current?.FindTransaction(connection) is not null)
        {
            return Primary(connection, RoutingMetrics.Transaction);
        }

        if (access == StatementAccess.ReadOnPrimary || flow?.Force == RoutingForce.Primary)
        {
            return Primary(connection, RoutingMetrics.Forced);
        }

        if (flow?.Force == RoutingForce.Replicas)
        {
            return ToAny(connection, set, RoutingMetrics.Forced);
        }

        var mark = set.Mode == ReadYourWrites.Off ? null : flow?.Session is { } session ? session.Find(connection.Name) : set.Floor;
        if (mark is null)
        {
            return ToAny(connection, set, RoutingMetrics.Read);
        }

        var since = set.Time.GetUtcNow() - mark.WrittenAt;
        if (set.Mode == ReadYourWrites.Window || mark.Position is null)
        {
            // Window mode, or a causal write whose position could not be read: the primary until replicas must have it.
            var window = set.Mode == ReadYourWrites.Window || !mark.PositionUnknown ? set.StickyWindow : Max(set.StickyWindow, set.MaxLag);
            return since < window ? Primary(connection, RoutingMetrics.Window) : ToAny(connection, set, RoutingMetrics.Read);
        }

        if (mark.PositionUnknown && since < Max(set.StickyWindow, set.MaxLag))
        {
            return Primary(connection, RoutingMetrics.Causal);
        }

        if (set.PickCovering(mark.Position) is { } caughtUp)
        {
            RoutingMetrics.Count(connection, RoutingMetrics.Replica, RoutingMetrics.Causal);
            return new Route(caughtUp, required: mark.Position);
        }

        if (since < set.StickyWindow && set.Pick() is { } candidate)
        {
            // Not seen to have replayed it yet: ask one replica once, on the connection the read would use.
            return new Route(candidate, askFor: mark.Position);
        }

        return Primary(connection, RoutingMetrics.Causal);
    }

    /// <summary>Where a read goes after its replica failed: another healthy replica, or the primary.</summary>
    public static Route Reroute(Connection connection, ReplicaSet set, Replica failed, string? required)
    {
        if ((required is null ? set.Pick(except: failed) : set.PickCovering(required, except: failed)) is { } other)
        {
            RoutingMetrics.Count(connection, RoutingMetrics.Replica, RoutingMetrics.Down);
            return new Route(other, required: required);
        }

        return Primary(connection, RoutingMetrics.Down);
    }

    /// <summary>
    /// The check every write makes before it is sent, wherever it is sent from: inside <c>UsingReplicas</c> it is refused,
    /// naming the connection and the statement's first words. Paths that do not run through <c>Connection.RunAsync</c> call this.
    /// </summary>
    public static void BeforeWrite(Connection connection, string sql, RoutingFlow? flow = null)
    {
        if ((flow ?? RoutingFlow.Current)?.Force == RoutingForce.Replicas)
        {
            var words = StatementClassifier.FirstWords(sql, connection.DatabaseDriver.Lexicon);
            throw new ReadOnlyException(
                $"'{words} ...' writes, and was refused on '{connection.Name}' before it was sent: this flow is inside ConnectionManager.UsingReplicas(), "
                + "where only reads are allowed. Run the write outside that scope, or inside ConnectionManager.UsingPrimary() within it.",
                connection.Name);
        }
    }

    private static Route ToAny(Connection connection, ReplicaSet set, string reason)
    {
        if (set.Pick() is { } replica)
        {
            RoutingMetrics.Count(connection, RoutingMetrics.Replica, reason);
            return new Route(replica);
        }

        return Primary(connection, set.WhyNone());
    }

    private static Route Primary(Connection connection, string reason)
    {
        RoutingMetrics.Count(connection, RoutingMetrics.Primary, reason);
        return default;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
