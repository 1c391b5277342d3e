using Switchboard;

namespace OpenTelemetry.Trace;

/// <summary>Adds Switchboard's traces to OpenTelemetry.</summary>
public static class SwitchboardTracerProviderBuilderExtensions
{
    /// <summary>
    /// Listens to the <c>Switchboard</c> activity source: one client span per statement with the OpenTelemetry
    /// database attributes (<c>db.system.name</c>, <c>db.namespace</c>, <c>db.query.text</c> without parameter values).
    /// </summary>
    /// <param name="builder">The builder from <c>.WithTracing(...)</c>.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static TracerProviderBuilder AddSwitchboardInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(SwitchboardDiagnostics.Name);
    }
}
