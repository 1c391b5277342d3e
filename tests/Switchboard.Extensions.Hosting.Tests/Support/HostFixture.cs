using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Switchboard.Extensions.Hosting.Tests.Support;

/// <summary>
/// A generic host over an in-memory configuration and a temporary folder for SQLite files. Its registry is
/// independent (<c>UseDefaultRegistry = false</c>) unless a test asks otherwise, so tests run in parallel.
/// </summary>
public sealed class HostFixture : IAsyncDisposable
{
    private HostFixture(string folder, IConfigurationRoot configuration, ReloadableConfigurationSource source, IHost host)
    {
        Folder = folder;
        Configuration = configuration;
        Source = source;
        Host = host;
    }

    public string Folder { get; }

    /// <summary>The configuration's base values, which tests change to simulate a reloaded file.</summary>
    public ReloadableConfigurationSource Source { get; }

    public IConfigurationRoot Configuration { get; }

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public ConnectionRegistry Registry => Services.GetRequiredService<ConnectionRegistry>();

    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "switchboard-hosting-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Builds (does not start) a host whose configuration holds <paramref name="settings"/>, with paths written as <c>{folder}</c> made absolute.</summary>
    public static HostFixture Create(
        IDictionary<string, string?> settings,
        Action<SwitchboardHostingOptions>? options = null,
        Action<IServiceCollection>? services = null,
        Action<IConfigurationBuilder>? configuration = null)
    {
        var folder = NewFolder();
        var source = new ReloadableConfigurationSource(settings.ToDictionary(p => p.Key, p => p.Value?.Replace("{folder}", folder, StringComparison.Ordinal)));
        var builder = new ConfigurationBuilder().Add(source);
        configuration?.Invoke(builder);
        var root = builder.Build();
        var hostBuilder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        hostBuilder.Services.AddSwitchboard(root.GetSection("Switchboard"), o =>
        {
            o.UseDefaultRegistry = false;
            options?.Invoke(o);
        });
        services?.Invoke(hostBuilder.Services);
        return new HostFixture(folder, root, source, hostBuilder.Build());
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Host.StopAsync(TestContext.Current.CancellationToken);
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentNullException)
        {
            // Never started, or its start failed: the generic host then has no hosted services to stop.
        }

        Host.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the OS; the temp folder is cleaned eventually.
        }
    }
}
