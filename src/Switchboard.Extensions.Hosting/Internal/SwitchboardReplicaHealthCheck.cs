using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Switchboard.Extensions.Hosting.Internal;

/// <summary>
/// One health entry per replica: the replica as routing sees it (<see cref="Connection.Replicas"/>), so the check adds no
/// load of its own; routing re-checks each replica every <c>replica_check_interval</c> once reads use the replicas.
/// Healthy replicas are Healthy, lagging ones (behind <c>max_replica_lag</c>, skipped by reads) Degraded, replicas out of
/// rotation the failure status.
/// </summary>
internal sealed class SwitchboardReplicaHealthCheck(ConnectionRegistry registry, string connectionName, int index) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var replica = registry.IsConfigured(connectionName)
            ? registry.GetConnection(connectionName).Replicas.FirstOrDefault(r => r.Index == index)
            : null;
        if (replica is null)
        {
            // Removed on purpose by a reload (or its connection disposed), as for a connection's entry.
            return Task.FromResult(HealthCheckResult.Healthy(
                $"Replica {index} of connection '{connectionName}' is no longer configured (removed by a configuration reload, or disposed); this entry stays until the host restarts.",
                new Dictionary<string, object>(StringComparer.Ordinal) { ["connection"] = connectionName, ["replica"] = index, ["removed"] = true }));
        }

        var data = Data(replica);
        var where = $"Replica {index} of '{connectionName}' ({replica.Host ?? "localhost"}{(replica.Port is { } port ? ":" + port.ToString(CultureInfo.InvariantCulture) : "")})";
        var lag = replica.Lag is { } known ? $", {known.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s behind the primary" : "";
        return Task.FromResult(replica.Health switch
        {
            ReplicaHealth.Healthy => HealthCheckResult.Healthy(
                replica.LastChecked is null ? $"{where} takes reads; not checked yet (checks start with the first read)." : $"{where} takes reads{lag}.",
                data),
            ReplicaHealth.Lagging => HealthCheckResult.Degraded($"{where} is lagging{lag}: reads skip it until it catches up (max_replica_lag).", data: data),
            _ => new HealthCheckResult(context.Registration.FailureStatus, $"{where} is down: reads go to the other replicas or the primary until a check reaches it again.", data: data),
        });
    }

    private Dictionary<string, object> Data(ReplicaInfo replica)
    {
        var statistics = replica.Statistics;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["connection"] = connectionName,
            ["replica"] = replica.Index,
            ["host"] = replica.Host ?? "localhost",
            ["health"] = replica.Health.ToString().ToLowerInvariant(),
            ["weight"] = replica.Weight,
            ["pool_size"] = statistics.MaxSize,
            ["open"] = statistics.Size,
            ["idle"] = statistics.Idle,
            ["in_use"] = statistics.InUse,
            ["waiting"] = statistics.Waiting,
            ["opened_total"] = statistics.Opened,
            ["closed_total"] = statistics.Closed,
            ["timeouts_total"] = statistics.Timeouts,
        };
        if (replica.Port is { } port)
        {
            data["port"] = port;
        }

        if (replica.Lag is { } lag)
        {
            data["lag_ms"] = lag.TotalMilliseconds;
        }

        if (replica.LastChecked is { } checkedAt)
        {
            data["last_checked"] = checkedAt;
        }

        return data;
    }
}
