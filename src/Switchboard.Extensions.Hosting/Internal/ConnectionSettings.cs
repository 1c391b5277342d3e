namespace Switchboard.Extensions.Hosting.Internal;

/// <summary>
/// One connection read from configuration: its name, its configuration path, the dictionary form (or a URL, when the
/// connection's value is a single string) and a fingerprint to tell whether it changed.
/// </summary>
internal sealed record ConnectionSettings(string Name, string Path, IReadOnlyDictionary<string, object?> Values, string? Url, string Fingerprint)
{
    /// <summary>Names the connection and where it was read, never its values (they hold the password).</summary>
    public override string ToString() => $"{Name} ({Path})";

    /// <summary>The configuration path of one key of this connection, spelt as in the configuration.</summary>
    public string PathOf(string? key)
    {
        if (key is null)
        {
            return Path;
        }

        var spelt = Values.Keys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)) ?? key;
        return Path + ":" + spelt;
    }
}
