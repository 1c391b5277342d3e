using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Switchboard.Extensions.Hosting.Internal;

/// <summary>
/// The registry a host owns: built on the host's logger factory and clock, made the models' default while the host
/// lives (<see cref="ConnectionRegistry.SetDefault"/>) unless the options say otherwise, configured from the section when
/// first resolved, kept in step with reloads, and disposed with the host.
/// </summary>
internal sealed class SwitchboardHost : IDisposable
{
    private readonly IDisposable? _defaultHandle;
    private readonly IDisposable? _reloadSubscription;

    public SwitchboardHost(IConfiguration section, SwitchboardHostingOptions options, ILoggerFactory? loggerFactory, TimeProvider? timeProvider)
    {
        Options = options;

        // Always the host's own registry, on its logger factory and clock: disposing this host (or the DI container
        // disposing the registry singleton) can only ever close this host's connections, never another host's.
        Registry = new ConnectionRegistry(loggerFactory, timeProvider);
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

        // Only once the section applied: an invalid configuration must not leave models pointed at a half-built registry.
        if (options.UseDefaultRegistry)
        {
            _defaultHandle = ConnectionRegistry.SetDefault(Registry);
        }
    }

    public ConnectionRegistry Registry { get; }

    public SwitchboardHostingOptions Options { get; }

    public RegistryConfigurator Configurator { get; }

    /// <summary>
    /// Starts disposing every connection of this host's registry. A host may stop twice (WebApplication.Run stops it after
    /// its owner did), or be disposed after the next host started: the next host has its own registry, so neither touches it.
    /// </summary>
    public IReadOnlyList<(string Name, Task<bool> Disposal)> StartDisposing(TimeSpan gracePeriod, CancellationToken cancellationToken) =>
        Configurator.StartDisposing(ownedOnly: false, name => Registry.DisposeAsync(name, gracePeriod, cancellationToken));

    /// <summary>Stops following reloads, and disposes the connections the hosted service's stop did not (it may never have run).</summary>
    public void Dispose()
    {
        _reloadSubscription?.Dispose();
        foreach (var (_, disposal) in StartDisposing(TimeSpan.Zero, CancellationToken.None))
        {
            disposal.GetAwaiter().GetResult();
        }

        // Last, so that a model still running during the stop reads "has been disposed", not "no connection named ...".
        // A host disposed after the next one started leaves the default with the newer host.
        _defaultHandle?.Dispose();
    }
}
