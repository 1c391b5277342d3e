using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Switchboard.Extensions.Hosting.Internal;

/// <summary>
/// Applies the configuration section to a registry: every connection at start, and on a reload only what changed
/// (re-configured with <c>replace</c>, added, or disposed gracefully). Errors name the configuration path.
/// </summary>
internal sealed class RegistryConfigurator(ConnectionRegistry registry, IConfiguration section, TimeSpan drainPeriod, ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Connection> _owned = new(StringComparer.Ordinal);
    private Dictionary<string, ConnectionSettings> _applied = new(StringComparer.Ordinal);

    /// <summary>
    /// The names whose connection is still the one this configurator made. A registry shared with other hosts
    /// (<see cref="ConnectionRegistry.Default"/>, or a host disposed late) may have configured the name again since:
    /// that connection is not ours to dispose.
    /// </summary>
    public IReadOnlyList<string> OwnedNames()
    {
        lock (_gate)
        {
            return [.. _owned.Where(p => registry.IsConfigured(p.Key) && ReferenceEquals(registry.GetConnection(p.Key), p.Value)).Select(p => p.Key)];
        }
    }

    /// <summary>Configures every connection of the section; the first invalid one throws, naming its path.</summary>
    /// <exception cref="ConfigurationException">A connection is invalid; the message starts with its configuration path.</exception>
    public void ApplyInitial()
    {
        lock (_gate)
        {
            var settings = SwitchboardConfigurationReader.Read(section);
            foreach (var connection in settings.Connections)
            {
                Configure(connection, replace: false);
            }

            ApplyDefault(settings);
            _applied = settings.Connections.ToDictionary(c => c.Name, StringComparer.Ordinal);
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
        lock (_gate)
        {
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
                if (_owned.Remove(name, out var owned) && registry.IsConfigured(name) && ReferenceEquals(registry.GetConnection(name), owned))
                {
                    _ = registry.DisposeAsync(name, drainPeriod);
                }

                Log.Removed(logger, name);
            }

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
