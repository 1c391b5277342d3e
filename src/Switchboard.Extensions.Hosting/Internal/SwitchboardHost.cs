using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Switchboard.Extensions.Hosting.Internal;

/// <summary>
/// The registry a host owns: chosen (<see cref="ConnectionRegistry.Default"/> or a new one), configured from the
/// section when first resolved, kept in step with reloads, and handed back on dispose.
/// </summary>
internal sealed class SwitchboardHost : IDisposable
{
    private readonly IDisposable? _logging;
    private readonly IDisposable? _reloadSubscription;

    public SwitchboardHost(IConfiguration section, SwitchboardHostingOptions options, ILoggerFactory? loggerFactory, TimeProvider? timeProvider)
    {
        Options = options;
        if (options.UseDefaultRegistry)
        {
            if (timeProvider is not null && !ReferenceEquals(timeProvider, TimeProvider.System))
            {
                throw new InvalidOperationException(
                    $"The host registers a TimeProvider ({timeProvider.GetType().Name}), but ConnectionRegistry.Default always runs on TimeProvider.System. "
                    + "Set SwitchboardHostingOptions.UseDefaultRegistry = false in AddSwitchboard to get a registry on the host's clock, "
                    + "and make it current for models with registry.Activate().");
            }

            Registry = ConnectionRegistry.Default;
            _logging = DefaultRegistryLogging.Use(loggerFactory);
        }
        else
        {
            Registry = new ConnectionRegistry(loggerFactory, timeProvider);
        }

        options.ConfigureRegistry?.Invoke(Registry);
        Configurator = new RegistryConfigurator(
            Registry,
            section,
            options.ShutdownGracePeriod,
            loggerFactory?.CreateLogger("Switchboard.Hosting") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Configurator.ApplyInitial();
        if (options.ReloadOnChange)
        {
            _reloadSubscription = ChangeToken.OnChange(section.GetReloadToken, Configurator.Reload);
        }
    }

    public ConnectionRegistry Registry { get; }

    public SwitchboardHostingOptions Options { get; }

    public RegistryConfigurator Configurator { get; }

    /// <summary>
    /// Starts disposing the connections this host is responsible for: every one of its own registry, but only those it
    /// configured (and nobody re-configured since) of <see cref="ConnectionRegistry.Default"/>, which other hosts in the
    /// process share. A host may stop twice (WebApplication.Run stops it after its owner did), or be disposed after the
    /// next host started: neither touches the next host's connections.
    /// </summary>
    public IReadOnlyList<(string Name, Task<bool> Disposal)> StartDisposing(TimeSpan gracePeriod, CancellationToken cancellationToken) =>
        Configurator.StartDisposing(Options.UseDefaultRegistry, name => Registry.DisposeAsync(name, gracePeriod, cancellationToken));

    /// <summary>Stops following reloads, and disposes the connections the hosted service's stop did not (it may never have run).</summary>
    public void Dispose()
    {
        _reloadSubscription?.Dispose();
        foreach (var (_, disposal) in StartDisposing(TimeSpan.Zero, CancellationToken.None))
        {
            disposal.GetAwaiter().GetResult();
        }

        // The host's logger factory is disposed with the host: the process-wide registry must not keep it.
        _logging?.Dispose();
    }
}
