namespace Switchboard;

/// <summary>Reads the URL form of a configuration. Its messages never repeat any text of the URL.</summary>
/// <remarks>
/// A mangled URL can put password text anywhere (in the scheme, the port, a query key), and the parser cannot know
/// where, so no message quotes the URL or a part of it: they name the part at fault by its role or position instead.
/// The user part ends at the last '@' before the first '?', so a password holding an unencoded '@', '/' or ':' is read
/// whole, and a query value may hold an '@'.
/// </remarks>
internal static class ConfigUrl
{
    /// <summary>How <see cref="ConfigKeys"/> names a value read from a URL (and so never shows it).</summary>
    public const string Source = "URL parameter";

    private const string Shape =
        "Write it as driver://user:password@host:port/database?pool_size=5, percent-encoding any '@', ':', '/', '?' or '#' in the user name "
        + "or password (%40, %3A, %2F, %3F, %23). The URL is not repeated here because it may hold a password.";

    public static ConnectionConfig Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0 || url.AsSpan(0, schemeEnd).IndexOfAnyExcept(SchemeCharacters) >= 0)
        {
            throw Invalid($"it does not begin with a driver name and '://' (the drivers installed are {string.Join(", ", Dialects.DriverCatalog.KnownNames)})");
        }

        var config = new ConnectionConfig { Driver = url[..schemeEnd].ToLowerInvariant() };
        var rest = url[(schemeEnd + 3)..];
        string query;
        if (Dialects.DriverCatalog.FindDeclared(config.Driver) is { UrlNamesFile: true } fileDriver)
        {
            (rest, query) = SplitQuery(rest);

            // The driver says its URL names a file, in SQLAlchemy's form: engine:///relative.db, engine:////absolute.db, engine:///:memory:
            if (rest.Length == 0 || rest == "/")
            {
                throw Invalid($"it names no database file; use {fileDriver.Name}:///path/to/file.db or {fileDriver.Name}:///:memory:");
            }

            config.Database = Uri.UnescapeDataString(rest.StartsWith('/') ? rest[1..] : rest);
        }
        else
        {
            // The user part ends at the last '@' before the query, where values may hold an '@' of their own.
            var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
            var at = (queryStart >= 0 ? rest[..queryStart] : rest).LastIndexOf('@');
            if (at >= 0)
            {
                ReadUserPart(config, rest[..at]);
                rest = rest[(at + 1)..];
            }

            (rest, query) = SplitQuery(rest);
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            ReadHostPart(config, slash >= 0 ? rest[..slash] : rest, hasUserPart: at >= 0);
            if (slash >= 0 && slash + 1 < rest.Length)
            {
                config.Database = Uri.UnescapeDataString(rest[(slash + 1)..]);
            }
        }

        ApplyQuery(config, query);
        return config;
    }

    private static readonly System.Buffers.SearchValues<char> SchemeCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-_");

    private static (string Remainder, string Query) SplitQuery(string rest)
    {
        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        return queryStart >= 0 ? (rest[..queryStart], rest[(queryStart + 1)..]) : (rest, "");
    }

    private static void ReadUserPart(ConnectionConfig config, string userInfo)
    {
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        config.Username = Uri.UnescapeDataString(colon >= 0 ? userInfo[..colon] : userInfo);
        if (colon >= 0)
        {
            config.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        }
    }

    private static void ReadHostPart(ConnectionConfig config, string authority, bool hasUserPart)
    {
        // Without an '@', "user:password" would read as "host:port": say so rather than guess.
        var forgotAt = hasUserPart ? "" : " (if it holds a user name and password, end them with '@')";
        string host;
        string? port = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Invalid("its host opens an IPv6 address with '[' but never closes it with ']'");
            }

            host = authority[1..close];
            var after = authority[(close + 1)..];
            if (after.Length > 0 && !after.StartsWith(':'))
            {
                throw Invalid("its host has text after the ']' of an IPv6 address other than ':port'");
            }

            port = after.Length > 0 ? after[1..] : null;
        }
        else
        {
            var colon = authority.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0 && authority.IndexOf(':', colon + 1) >= 0)
            {
                throw Invalid("its host part has more than one ':'" + forgotAt + "; write an IPv6 address in brackets, as [::1]:5432");
            }

            host = colon >= 0 ? authority[..colon] : authority;
            port = colon >= 0 ? authority[(colon + 1)..] : null;
        }

        if (port is not null)
        {
            if (port.Length is 0 or > 5 || !port.All(char.IsAsciiDigit) || int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) is < 1 or > 65535)
            {
                throw Invalid("its port is not a number between 1 and 65535" + forgotAt);
            }

            config.Port = int.Parse(port, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (host.Length > 0)
        {
            config.Host = Uri.UnescapeDataString(host);
        }
    }

    private static void ApplyQuery(ConnectionConfig config, string query)
    {
        var position = 0;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            position++;
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals >= 0 ? pair[..equals] : pair);
            if (!ConfigKeys.IsKnown(key))
            {
                var hint = ConfigKeys.Suggest(key) is { } near ? $" (did you mean '{near}'?)" : "";
                // The keys are not listed: a URL may hold a password, and the list (which grows) could share text with it.
                throw Invalid($"its query parameter {position} is not a configuration key{hint}; remove it or correct its name (the keys are those of the dictionary form, such as pool_size or sslmode)");
            }

            var value = equals >= 0 ? Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' ')) : "true";
            ConfigKeys.Apply(config, key, value, Source);
        }
    }

    private static ConfigurationException Invalid(string why) => new($"The connection URL is not valid: {why}. {Shape}", key: "url");
}
