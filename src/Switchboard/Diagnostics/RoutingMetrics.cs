using System.Diagnostics.Metrics;

namespace Switchboard.Diagnostics;

/// <summary>The <c>switchboard.routing.decisions</c> counter: where each statement of a connection with replicas went, and why.</summary>
internal static class RoutingMetrics
{
    public const string Primary = "primary";
    public const string Replica = "replica";

    public const string Read = "read";
    public const string Write = "write";
    public const string Transaction = "transaction";
    public const string Forced = "forced";
    public const string Causal = "causal";
    public const string Window = "window";
    public const string Lag = "lag";
    public const string Down = "down";

    public static readonly Counter<long> Decisions = PoolMetrics.Meter.CreateCounter<long>(
        SwitchboardDiagnostics.RoutingDecisions, "{statement}", "Where statements of connections with replicas were sent, and why.");

    public static void Count(Connection connection, string target, string reason)
    {
        if (Decisions.Enabled)
        {
            Decisions.Add(
                1,
                new KeyValuePair<string, object?>(SwitchboardDiagnostics.PoolNameTag, connection.Name),
                new KeyValuePair<string, object?>(SwitchboardDiagnostics.RegistryIdTag, connection.Registry.Id),
                new KeyValuePair<string, object?>(SwitchboardDiagnostics.RoutingTargetTag, target),
                new KeyValuePair<string, object?>(SwitchboardDiagnostics.RoutingReasonTag, reason));
        }
    }
}
