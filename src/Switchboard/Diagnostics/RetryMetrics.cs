using System.Diagnostics.Metrics;

namespace Switchboard.Diagnostics;

/// <summary>The <c>switchboard.retries</c> counter on the <c>Switchboard</c> meter.</summary>
internal static class RetryMetrics
{
    public static readonly Counter<long> Retries = PoolMetrics.Meter.CreateCounter<long>(SwitchboardDiagnostics.Retries, "{retry}", "Failed work run again by a connection's retry setting.");

    public static void Record(string connectionName, int registryId, string reason)
    {
        if (Retries.Enabled)
        {
            Retries.Add(
                1,
                new KeyValuePair<string, object?>(SwitchboardDiagnostics.PoolNameTag, connectionName),
                new KeyValuePair<string, object?>(SwitchboardDiagnostics.RegistryIdTag, registryId),
                new KeyValuePair<string, object?>(SwitchboardDiagnostics.RetryReasonTag, reason));
        }
    }
}
