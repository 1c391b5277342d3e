using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Switchboard.Extensions.Hosting.Internal;

/// <summary>Configures the registry at start (and optionally opens one connection per pool), and disposes it gracefully at stop.</summary>
internal sealed class SwitchboardHostedService(SwitchboardHost host, ILoggerFactory? loggerFactory = null) : IHostedService
{
    private readonly ILogger _logger = loggerFactory?.CreateLogger("Switchboard.Hosting") ?? NullLogger.Instance;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (host.Options.InitializeOnStart)
        {
            await host.Registry.InitializeAllAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // All pools drain at once, so stopping takes one grace period, not one per connection.
        var grace = host.Options.ShutdownGracePeriod;
        var disposals = host.StartDisposing(grace, cancellationToken);
        await Task.WhenAll(disposals.Select(d => d.Disposal)).ConfigureAwait(false);
        foreach (var (name, disposal) in disposals)
        {
            if (!disposal.Result)
            {
                Log.ShutdownNotGraceful(_logger, name, grace.TotalSeconds);
            }
        }
    }
}
