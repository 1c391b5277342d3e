using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard;
using Switchboard.Extensions.Hosting;
using Switchboard.Extensions.Hosting.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Switchboard to a host: connections from configuration, the registry as a singleton, start and graceful stop.</summary>
public static class SwitchboardServiceCollectionExtensions
{
    /// <summary>
    /// Reads <c>Connections:&lt;name&gt;:&lt;key&gt;</c> of <paramref name="section"/> (the snake_case keys of the dictionary form,
    /// validated the same way) into a <see cref="ConnectionRegistry"/> singleton built with the host's <see cref="ILoggerFactory"/>
    /// and <see cref="TimeProvider"/>, and adds a hosted service that optionally opens the pools at start and drains them at stop.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="section">The <c>Switchboard</c> section, such as <c>builder.Configuration.GetSection("Switchboard")</c>.</param>
    /// <param name="configure">Sets <see cref="SwitchboardHostingOptions"/>.</param>
    /// <returns>The same services, for chaining.</returns>
    /// <remarks>The connections are configured when the registry is first resolved (at the latest when the host starts); an invalid one
    /// throws a <see cref="ConfigurationException"/> whose message starts with its configuration path, such as
    /// <c>Switchboard:Connections:primary:pool_size</c>.</remarks>
    public static IServiceCollection AddSwitchboard(this IServiceCollection services, IConfiguration section, Action<SwitchboardHostingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        var options = new SwitchboardHostingOptions();
        configure?.Invoke(options);
        options.Validate();
        if (services.Any(d => d.ServiceType == typeof(SwitchboardHost)))
        {
            throw new InvalidOperationException("AddSwitchboard was called twice on the same services. Call it once, with the section that holds every connection.");
        }

        services.AddSingleton(sp => new SwitchboardHost(section, options, sp.GetService<ILoggerFactory>(), sp.GetService<TimeProvider>()));
        services.AddSingleton(sp => sp.GetRequiredService<SwitchboardHost>().Registry);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SwitchboardHostedService>());
        return services;
    }
}
