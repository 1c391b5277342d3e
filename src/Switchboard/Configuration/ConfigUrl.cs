using System.Text.RegularExpressions;

namespace Switchboard;

/// <summary>Reads the URL form of a configuration, never repeating the password in a message.</summary>
internal static partial class ConfigUrl
{
    public static ConnectionConfig Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            throw Invalid(url, "it has no 'driver://' scheme");
        }

        var config = new ConnectionConfig { Driver = url[..schemeEnd].ToLowerInvariant() };
        var rest = url[(schemeEnd + 3)..];
        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        var query = queryStart >= 0 ? rest[(queryStart + 1)..] : "";
        if (queryStart >= 0)
        {
            rest = rest[..queryStart];
        }

        if (config.Driver == "sqlite")
        {
            // SQLAlchemy's convention: sqlite:///relative.db, sqlite:////absolute.db, sqlite:///:memory:
            if (rest.Length == 0 || rest == "/")
            {
                throw Invalid(url, "it names no database file; use sqlite:///path/to/file.db or sqlite:///:memory:");
            }

            config.Database = Uri.UnescapeDataString(rest.StartsWith('/') ? rest[1..] : rest);
        }
        else
        {
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var authority = slash >= 0 ? rest[..slash] : rest;
            var path = slash >= 0 ? rest[(slash + 1)..] : "";
            var at = authority.LastIndexOf('@');
            if (at >= 0)
            {
                var userInfo = authority[..at];
                authority = authority[(at + 1)..];
                var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
                config.Username = Uri.UnescapeDataString(colon >= 0 ? userInfo[..colon] : userInfo);
                if (colon >= 0)
                {
                    config.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
                }
            }

            var portStart = authority.StartsWith('[') ? authority.IndexOf("]:", StringComparison.Ordinal) + 1 : authority.LastIndexOf(':');
            if (portStart > 0)
            {
                if (!int.TryParse(authority[(portStart + 1)..], out var port))
                {
                    throw Invalid(url, $"its port '{authority[(portStart + 1)..]}' is not a number");
                }

                config.Port = port;
                authority = authority[..portStart];
            }

            if (authority.Length > 0)
            {
                config.Host = Uri.UnescapeDataString(authority.Trim('[', ']'));
            }

            if (path.Length > 0)
            {
                config.Database = Uri.UnescapeDataString(path);
            }
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals >= 0 ? pair[..equals] : pair);
            var value = equals >= 0 ? Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' ')) : "true";
            ConfigKeys.Apply(config, key, value, source: "URL parameter");
        }

        return config;
    }

    /// <summary>The URL with any password replaced by <c>***</c>.</summary>
    public static string Redact(string url) => PasswordInUrl().Replace(url, "$1***@");

    private static ConfigurationException Invalid(string url, string why) =>
        new($"The connection URL '{Redact(url)}' is not valid: {why}. Write it as driver://user:password@host:port/database?pool_size=5.", key: "url");

    [GeneratedRegex(@"(://[^:/@]*:)[^@]*@")]
    private static partial Regex PasswordInUrl();
}
