using Microsoft.Extensions.Configuration;

namespace Switchboard.Extensions.Hosting.Tests.Support;

/// <summary>An in-memory configuration that can change and then signal a reload, as a rewritten <c>appsettings.json</c> does.</summary>
public sealed class ReloadableConfigurationSource(IDictionary<string, string?> initial) : ConfigurationProvider, IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    public override void Load()
    {
        Data = new Dictionary<string, string?>(initial, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Applies the changes (a null value removes the key) and fires one reload.</summary>
    public void Change(params (string Key, string? Value)[] changes)
    {
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                Data.Remove(key);
            }
            else
            {
                Data[key] = value;
            }
        }

        OnReload();
    }

    /// <summary>Removes every key under a path and fires one reload.</summary>
    public void RemoveSection(string path)
    {
        foreach (var key in Data.Keys.Where(k => k.StartsWith(path + ":", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            Data.Remove(key);
        }

        OnReload();
    }
}
