using Microsoft.Extensions.Logging;

namespace Switchboard.Diagnostics;

// Event ids 4xxx: replica routing.
internal static partial class Log
{
    [LoggerMessage(4001, LogLevel.Warning, "Replica {Index} (host {Host}) of '{ConnectionName}' is out of rotation: {Reason} Reads go to the other replicas or the primary; it is checked again every replica_check_interval.")]
    public static partial void ReplicaDown(ILogger logger, string connectionName, int index, string host, string reason);

    [LoggerMessage(4002, LogLevel.Information, "Replica {Index} (host {Host}) of '{ConnectionName}' answers again and is back in rotation.")]
    public static partial void ReplicaUp(ILogger logger, string connectionName, int index, string host);

    [LoggerMessage(4003, LogLevel.Warning, "Reading the primary's replication position after a write on '{ConnectionName}' failed; this flow's reads go to the primary for a while instead.")]
    public static partial void PositionUnknown(ILogger logger, Exception exception, string connectionName);
}
