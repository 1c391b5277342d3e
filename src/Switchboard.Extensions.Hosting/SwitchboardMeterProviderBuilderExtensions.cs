using Switchboard;

namespace OpenTelemetry.Metrics;

/// <summary>Adds Switchboard's metrics to OpenTelemetry.</summary>
public static class SwitchboardMeterProviderBuilderExtensions
{
    /// <summary>
    /// Listens to the <c>Switchboard</c> meter: the OpenTelemetry <c>db.client.connection.*</c> pool metrics
    /// (count by state, max, pending requests, timeouts, create, wait and use times), tagged with the pool's name.
    /// </summary>
    /// <param name="builder">The builder from <c>.WithMetrics(...)</c>.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static MeterProviderBuilder AddSwitchboardInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(SwitchboardDiagnostics.Name);
    }
}
