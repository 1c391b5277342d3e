using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Switchboard;
using Switchboard.Extensions.Hosting;
using Switchboard.Extensions.Hosting.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Switchboard's connections to ASP.NET Core health checks.</summary>
public static class SwitchboardHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds one entry per connection (named <c>switchboard:&lt;name&gt;</c>, tagged <c>switchboard</c>, <c>db</c> and the driver):
    /// Healthy when a ping succeeds, Degraded when every connection of the pool is in use (not pinged, so the check never
    /// waits for the pool), the failure status when the ping fails; latency and pool statistics in the entry's data.
    /// Each replica gets an entry of its own (<c>switchboard:&lt;name&gt;/replica&lt;N&gt;</c>, tagged <c>replica</c> too), from
    /// routing's last check of it: Healthy, Degraded when lagging, the failure status when down; host, port, lag and pool
    /// statistics in the entry's data.
    /// </summary>
    /// <param name="builder">The health checks builder from <c>services.AddHealthChecks()</c>.</param>
    /// <param name="configure">Sets <see cref="SwitchboardHealthCheckOptions"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <remarks>The registry is the one <c>services.AddSwitchboard(...)</c> added, or <see cref="ConnectionRegistry.Default"/> without it.
    /// Entries are made for the connections configured when the health check service starts.</remarks>
    public static IHealthChecksBuilder AddSwitchboard(this IHealthChecksBuilder builder, Action<SwitchboardHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new SwitchboardHealthCheckOptions();
        configure?.Invoke(options);
        options.Validate();
        builder.Services.AddSingleton<IConfigureOptions<HealthCheckServiceOptions>>(sp =>
            new ConfigureSwitchboardHealthChecks(sp.GetService<ConnectionRegistry>() ?? ConnectionRegistry.Default, options));
        return builder;
    }
}
