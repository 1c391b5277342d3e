using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SwitchboardStatus = Switchboard.HealthStatus;

namespace Switchboard.Extensions.Hosting.Internal;

/// <summary>One health entry: the ping of one connection, its latency and its pool's statistics, and optionally its models against the live schema.</summary>
internal sealed class SwitchboardHealthCheck(HealthProbe probe, string connectionName, Type[] models) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ConnectionHealth? health;
        try
        {
            health = await probe.CheckAsync(connectionName, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Connection '{connectionName}' did not answer within the health check's timeout (SwitchboardHealthCheckOptions.Timeout).");
        }

        if (health is null)
        {
            // Removed on purpose (a configuration reload, or disposed by the application): nothing is wrong, and a
            // failing entry would take a healthy instance out of service until it restarts. Entries are fixed at start.
            return HealthCheckResult.Healthy(
                $"Connection '{connectionName}' is no longer configured (removed by a configuration reload, or disposed); this entry stays until the host restarts.",
                new Dictionary<string, object>(StringComparer.Ordinal) { ["connection"] = connectionName, ["removed"] = true });
        }

        var data = Data(health);
        if (health.Status == SwitchboardStatus.Healthy && models.Length > 0 && await SchemaErrorsAsync(data, cancellationToken).ConfigureAwait(false) is { } schema)
        {
            return HealthCheckResult.Degraded(schema, data: data);
        }

        return health.Status switch
        {
            SwitchboardStatus.Healthy => HealthCheckResult.Healthy($"'{connectionName}' answered in {health.Latency.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)} ms.", data),
            SwitchboardStatus.Degraded => HealthCheckResult.Degraded(health.Error, data: data),
            _ => new HealthCheckResult(context.Registration.FailureStatus, health.Error, data: data),
        };
    }

    /// <summary>The models' schema errors on this connection in one description, or null when every model fits.</summary>
    private async Task<string?> SchemaErrorsAsync(Dictionary<string, object> data, CancellationToken cancellationToken)
    {
        try
        {
            var report = await probe.Registry.VerifyModelsAsync(connectionName, models, cancellationToken).ConfigureAwait(false);
            var errors = report.Problems.Where(p => p.IsError).ToList();
            data["schema_errors"] = errors.Count;
            return errors.Count == 0
                ? null
                : $"'{connectionName}' answers, but {errors.Count} model mapping problem(s) would make statements fail: {string.Join(" ", errors.Select(e => e.ToString()))}";
        }
        catch (SwitchboardException exception)
        {
            return $"'{connectionName}' answers, but its schema could not be read to verify the models: {exception.Message}";
        }
    }

    private Dictionary<string, object> Data(ConnectionHealth health)
    {
        var statistics = health.Statistics;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["connection"] = health.Name,
            ["latency_ms"] = health.Latency.TotalMilliseconds,
            ["pool_size"] = statistics.MaxSize,
            ["open"] = statistics.Size,
            ["idle"] = statistics.Idle,
            ["in_use"] = statistics.InUse,
            ["waiting"] = statistics.Waiting,
            ["opened_total"] = statistics.Opened,
            ["closed_total"] = statistics.Closed,
            ["timeouts_total"] = statistics.Timeouts,
        };
        if (probe.Registry.IsConfigured(health.Name))
        {
            data["driver"] = probe.Registry.GetConnection(health.Name).Driver;
        }

        return data;
    }
}
