using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Switchboard.Extensions.Hosting.Internal;

// Inside the namespace, so that it wins over Switchboard.HealthStatus.
using HealthStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus;

/// <summary>
/// Adds one health entry per configured connection and per replica when the health check service first reads its options: the
/// connection names come from configuration, which is read only once the container is built.
/// </summary>
internal sealed class ConfigureSwitchboardHealthChecks(ConnectionRegistry registry, SwitchboardHealthCheckOptions options) : IConfigureOptions<HealthCheckServiceOptions>
{
    public void Configure(HealthCheckServiceOptions healthOptions)
    {
        var names = registry.Names;
        var probe = new HealthProbe(registry, options.Timeout, names);
        foreach (var name in names)
        {
            var tags = new HashSet<string>(StringComparer.Ordinal) { "switchboard", "db", registry.GetConnection(name).Driver };
            tags.UnionWith(options.Tags);
            healthOptions.Registrations.Add(new HealthCheckRegistration(
                options.NamePrefix + name,
                _ => new SwitchboardHealthCheck(probe, name, ModelsOf(name)),
                options.FailureStatus,
                tags,
                options.Timeout));
            foreach (var replica in registry.GetConnection(name).Replicas)
            {
                var index = replica.Index;
                healthOptions.Registrations.Add(new HealthCheckRegistration(
                    options.NamePrefix + name + "/replica" + index.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    _ => new SwitchboardReplicaHealthCheck(registry, name, index),
                    options.FailureStatus,
                    [.. tags, "replica"],
                    options.Timeout));
            }
        }
    }

    /// <summary>The models to verify on a connection: those bound to it by <c>[Connection]</c>, and those bound to none.</summary>
    private Type[] ModelsOf(string name) =>
        [.. options.VerifyModels.Where(m => System.Reflection.CustomAttributeExtensions.GetCustomAttribute<ConnectionAttribute>(m, inherit: true)?.Name is not { } bound || bound == name)];
}
