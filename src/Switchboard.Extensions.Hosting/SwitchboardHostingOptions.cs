namespace Switchboard.Extensions.Hosting;

/// <summary>How <see cref="Microsoft.Extensions.DependencyInjection.SwitchboardServiceCollectionExtensions.AddSwitchboard"/> runs Switchboard in a host.</summary>
public sealed class SwitchboardHostingOptions
{
    /// <summary>
    /// Whether the host's registry (built on the host's <c>ILoggerFactory</c> and <see cref="TimeProvider"/>) is made the
    /// process-wide <see cref="ConnectionRegistry.Default"/> while the host lives (<see cref="ConnectionRegistry.SetDefault"/>),
    /// so that models and <see cref="ConnectionManager"/> use it without <see cref="ConnectionRegistry.Activate"/>.
    /// </summary>
    /// <value><see langword="true"/>. With two hosts in one process, the newest one still alive is the default; each disposes
    /// only its own connections. Set <see langword="false"/> to keep the registry private to the container (models then use it
    /// only inside <see cref="ConnectionRegistry.Activate"/>).</value>
    public bool UseDefaultRegistry { get; set; } = true;

    /// <summary>Whether the hosted service opens one connection in every pool at start (<see cref="ConnectionRegistry.InitializeAllAsync"/>), so that a wrong host or password stops the application at once.</summary>
    /// <value><see langword="false"/>: nothing connects until first use.</value>
    public bool InitializeOnStart { get; set; }

    /// <summary>How long the host's stop waits for connections in use to come back before closing them under their holders.</summary>
    /// <value>10 seconds; keep it below the host's <c>HostOptions.ShutdownTimeout</c> (30 s by default), which cuts it short.</value>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether a change of the configuration section (a reloaded <c>appsettings.json</c>) re-configures the connections that changed, adds new ones and disposes removed ones.</summary>
    /// <value><see langword="true"/>.</value>
    public bool ReloadOnChange { get; set; } = true;

    /// <summary>
    /// Runs on the registry before the section's connections are configured: register drivers explicitly
    /// (<c>r =&gt; r.AddSqlite()</c>, needed in trimmed and AOT applications) or subscribe to <see cref="ConnectionRegistry.Events"/>.
    /// </summary>
    /// <value>None.</value>
    public Action<ConnectionRegistry>? ConfigureRegistry { get; set; }

    /// <summary>Checks the options, naming the one at fault.</summary>
    internal void Validate()
    {
        if (ShutdownGracePeriod < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(ShutdownGracePeriod),
                ShutdownGracePeriod,
                "SwitchboardHostingOptions.ShutdownGracePeriod must be zero or more; zero closes connections in use at once.");
        }
    }
}
