using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Switchboard.Extensions.Hosting.Internal;

/// <summary>
/// Applies the configuration section to a registry: every connection at start, and on a reload only what changed
/// (re-configured with <c>replace</c>, added, or disposed gracefully). Errors name the configuration path.
/// </summary>
internal sealed partial class RegistryConfigurator(ConnectionRegistry registry, IConfiguration section, TimeSpan drainPeriod, ILogger logger)
{
    // One gate for every host in the process: hosts share ConnectionRegistry.Default, and "is this name still my
    // connection?" followed by "dispose the name" must not let another host configure the name in between.
    private static readonly Lock Gate = new();

    private readonly Dictionary<string, Connection> _owned = new(StringComparer.Ordinal);
    private Dictionary<string, ConnectionSettings> _applied = new(StringComparer.Ordinal);
    private Dictionary<string, ShardedSettings> _appliedShards = new(StringComparer.Ordinal);
    private Dictionary<string, TenantSettings> _appliedTenants = new(StringComparer.Ordinal);
    private bool _stopped;

    /// <summary>
    /// Starts disposing the given names (all of them, or only those whose connection is still ours) and returns the
    /// disposals. Each one removes its name before it first waits, so under the gate no other host can slip in.
    /// </summary>
    public IReadOnlyList<(string Name, Task<bool> Disposal)> StartDisposing(bool ownedOnly, Func<string, Task<bool>> dispose)
    {
        lock (Gate)
        {
            var names = ownedOnly ? [.. _owned.Where(p => IsStillOurs(p.Key, p.Value)).Select(p => p.Key)] : registry.Names;
            _owned.Clear();

            // A configuration change after the stop must not bring connections back.
            _stopped = true;
            return [.. names.Select(name => (name, dispose(name)))];
        }
    }

    private bool IsStillOurs(string name, Connection connection) =>
        registry.IsConfigured(name) && ReferenceEquals(registry.GetConnection(name), connection);

    /// <summary>Configures every connection of the section; the first invalid one throws, naming its path.</summary>
    /// <exception cref="ConfigurationException">A connection is invalid; the message starts with its configuration path.</exception>
    public void ApplyInitial()
    {
        lock (Gate)
        {
            var settings = SwitchboardConfigurationReader.Read(section);
            try
            {
                foreach (var connection in settings.Connections)
                {
                    Configure(connection, replace: false);
                }

                foreach (var sharded in settings.Shards)
                {
                    Own(TopologyConfigurator.ConfigureShards(registry, sharded));
                }

                foreach (var tenant in settings.Tenants)
                {
                    TopologyConfigurator.ConfigureTenants(registry, tenant);
                }

                ApplyDefault(settings);
            }
            catch (ConfigurationException)
            {
                // All or nothing: the connections configured before the invalid one would otherwise stay in the
                // registry (ConnectionRegistry.Default outlives the host) and block the corrected configuration.
                foreach (var name in _owned.Keys)
                {
                    registry.Dispose(name);
                }

                _owned.Clear();
                throw;
            }

            _applied = settings.Connections.ToDictionary(c => c.Name, StringComparer.Ordinal);
            _appliedShards = settings.Shards.ToDictionary(s => s.Name, StringComparer.Ordinal);
            _appliedTenants = settings.Tenants.ToDictionary(t => t.Prefix, StringComparer.Ordinal);
        }
    }

    /// <summary>Re-reads the section and applies what changed. A connection whose new configuration is invalid keeps its old one, and the error is logged.</summary>
    public void Reload()
    {
        try
        {
            ReloadCore();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A reload runs on the configuration provider's thread: throwing there would stop later reloads.
            Log.ReloadFailed(logger, exception);
        }
    }

    private void ReloadCore()
    {
        lock (Gate)
        {
            if (_stopped)
            {
                return;
            }

            var settings = SwitchboardConfigurationReader.Read(section);
            var next = new Dictionary<string, ConnectionSettings>(StringComparer.Ordinal);
            foreach (var connection in settings.Connections)
            {
                var known = _applied.TryGetValue(connection.Name, out var previous);
                if (known && previous!.Fingerprint == connection.Fingerprint)
                {
                    next[connection.Name] = previous;
                    continue;
                }

                try
                {
                    Configure(connection, replace: known);
                    next[connection.Name] = connection;
                    if (known)
                    {
                        Log.Reconfigured(logger, connection.Name);
                    }
                    else
                    {
                        Log.Added(logger, connection.Name);
                    }
                }
                catch (ConfigurationException exception)
                {
                    Log.ReloadRejected(logger, connection.Name, exception.Message);
                    if (known)
                    {
                        next[connection.Name] = previous!;
                    }
                }
            }

            foreach (var name in _applied.Keys.Where(n => !next.ContainsKey(n)))
            {
                // Statements running on it finish; the name is free at once.
                if (_owned.Remove(name, out var owned) && IsStillOurs(name, owned))
                {
                    _ = registry.DisposeAsync(name, drainPeriod);
                }

                Log.Removed(logger, name);
            }

            _appliedShards = ReloadShards(settings.Shards);
            _appliedTenants = ReloadTenants(settings.Tenants);
            ApplyDefault(settings);
            _applied = next;
        }
    }

    private void Configure(ConnectionSettings connection, bool replace)
    {
        try
        {
            _owned[connection.Name] = connection.Url is { } url
                ? registry.Configure(connection.Name, url, replace)
                : registry.Configure(connection.Name, connection.Values, replace);
        }
        catch (ConfigurationException exception)
        {
            var path = connection.Url is null ? connection.PathOf(exception.Key) : connection.Path;
            throw new ConfigurationException($"Configuration '{path}' is invalid: {exception.Message}", exception.Key, connection.Name, exception);
        }
    }

    private string PathPrefix => section is IConfigurationSection s ? s.Path + ":" : "";

    private void ApplyDefault(SwitchboardSettings settings)
    {
        if (settings.DefaultConnection is { } name)
        {
            if (!settings.Connections.Any(c => c.Name == name) && !registry.IsConfigured(name))
            {
                throw new ConfigurationException(
                    $"Configuration '{PathPrefix}{SwitchboardConfigurationReader.DefaultConnectionKey}' names '{name}', which is not configured. "
                    + $"Set it to one of: {string.Join(", ", settings.Connections.Select(c => c.Name))}.",
                    SwitchboardConfigurationReader.DefaultConnectionKey);
            }

            registry.DefaultConnectionName = name;
        }
    }
}
