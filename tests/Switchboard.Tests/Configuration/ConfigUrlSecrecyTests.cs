namespace Switchboard.Tests.Configuration;

/// <summary>
/// Issue 8 item 6: however a URL is mangled, no message, exception text or description carries any part of its
/// password. A systematic pass (every single-character deletion, insertion and replacement, every short deleted range)
/// and a seeded random pass (several mutations at once) over URLs that hold a known password.
/// </summary>
public class ConfigUrlSecrecyTests
{
    private const string Password = "hunter2";

    /// <summary>A password with every character that has a meaning in a URL, written raw (as users do).</summary>
    private const string SpecialPassword = "Zq:x/9?k#w@Pv";

    private static readonly string[] Bases =
    [
        $"postgresql://app:{Password}@db:5432/prod?pool_size=5",
        $"mysql://app:{Password}@10.0.0.1/shop?charset=utf8mb4&pool_timeout=3",
        $"postgresql://app:{Password}@[::1]:5432/prod",
        $"postgres://app:{Password}@db/prod",
        $"postgresql://app:{Password}/x@db:5432/prod",
        $"postgresql://app:hun@ter2@db:5432/prod",
        $"postgres//app:{Password}@db/prod",
    ];

    private static readonly string[] Encoded = ["%40", "%3A", "%2F", "%3F", "%23", "%", "%zz", "%5B"];

    private static readonly char[] Specials = [':', '/', '@', '?', '#', '[', ']', '%', '=', '&', ' ', '+'];

    [Theory]
    [InlineData("postgresql://app:hunter2/x@db:5432/prod")]
    [InlineData("postgresql://app:hun@ter2@db:5432/prod")]
    [InlineData("postgres//app:hunter2@db/prod")]
    [InlineData("postgresql://app:hunter2@db:notaport/prod")]
    [InlineData("postgresql://app:hunter2db:5432/prod")]
    [InlineData("postgresql://app:hunter2@db/prod?pool_size=hunter2")]
    [InlineData("postgresql://app:1234?hunter2@db/prod")]
    public void Parse_TheIssuesMangledUrls_NeverRepeatThePassword(string url)
    {
        AssertNothingRevealed(url, "hunter2");
    }

    [Fact]
    public void Parse_PasswordWithSlashOrAt_IsReadWhole()
    {
        // An '@' or '/' in a password is read as part of it (the user part ends at the last '@').
        Assert.Equal("hunter2/x", ConnectionConfig.Parse("postgresql://app:hunter2/x@db:5432/prod").Password);
        var config = ConnectionConfig.Parse("postgresql://app:hun@ter2@db:5432/prod");
        Assert.Equal("hun@ter2", config.Password);
        Assert.Equal("db", config.Host);
        Assert.Equal(5432, config.Port);

        // An '@' in a query value stays there.
        config = ConnectionConfig.Parse("postgresql://app:pw@db/prod?application_name=me@home");
        Assert.Equal(("app", "pw", "db", "prod", "me@home"), (config.Username, config.Password, config.Host, config.Database, config.ApplicationName));
    }

    [Fact]
    public void Parse_UnknownQueryKey_SuggestsOursWithoutRepeatingIt()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConnectionConfig.Parse("postgresql://app:pw@db/prod?charset=x&pool_sise=5"));
        Assert.Contains("parameter 2", error.Message);
        Assert.Contains("'pool_size'", error.Message);
    }

    [Fact]
    public void Parse_SystematicMutations_NeverRepeatAnyPartOfThePassword()
    {
        var cases = 0;
        foreach (var url in Bases.Concat([$"postgresql://app:{SpecialPassword}@db:5432/prod"]))
        {
            var secret = url.Contains(SpecialPassword, StringComparison.Ordinal) ? SpecialPassword : Password;
            foreach (var mutated in SystematicMutations(url))
            {
                AssertNothingRevealed(mutated, secret);
                cases++;
            }
        }

        Assert.True(cases > 3000, $"only {cases} cases");
    }

    [Fact]
    public void Parse_RandomMutations_NeverRepeatAnyPartOfThePassword()
    {
        var random = new Random(8_675_309);
        for (var i = 0; i < 20_000; i++)
        {
            var secret = i % 2 == 0 ? Password : SpecialPassword;
            var url = secret == Password ? Bases[random.Next(Bases.Length)] : $"postgresql://app:{SpecialPassword}@db:5432/prod?pool_size=5";
            var mutations = random.Next(1, 5);
            for (var m = 0; m < mutations; m++)
            {
                url = Mutate(url, random);
            }

            AssertNothingRevealed(url, secret);
        }
    }

    /// <summary>
    /// Reads and configures the URL, and checks what a user can see. Errors never show any part of the password that
    /// was meant (the parser cannot know where it ends in a mangled URL, so no error quotes the URL). A URL that reads
    /// without error is a valid URL: its descriptions never show any part of the password it was read to hold (a
    /// mangled URL may read as another valid one, such as password "hun" at host "ter2db").
    /// </summary>
    private static void AssertNothingRevealed(string url, string meant)
    {
        ConnectionConfig config;
        try
        {
            config = ConnectionConfig.Parse(url);
        }
        catch (ConfigurationException exception)
        {
            AssertNoFragment(exception.ToString(), meant, url);
            return;
        }

        var read = config.Password;
        if (read is { Length: > 0 })
        {
            AssertNoFragment(config.ToString(), read, url);
        }

        var registry = new ConnectionRegistry();
        try
        {
            var connection = registry.Configure("fuzz", url);
            if (read is { Length: > 0 })
            {
                AssertNoFragment(connection.ToString(), read, url);
            }
        }
        catch (ConfigurationException exception)
        {
            AssertNoFragment(exception.ToString(), meant, url);
        }
        finally
        {
            registry.DisposeAll();
        }
    }

    private static void AssertNoFragment(string text, string secret, string url)
    {
        var minimum = Math.Min(4, secret.Length);
        for (var length = minimum; length <= secret.Length; length++)
        {
            for (var start = 0; start + length <= secret.Length; start++)
            {
                var fragment = secret.Substring(start, length);
                if (text.Contains(fragment, StringComparison.Ordinal))
                {
                    Assert.Fail($"'{fragment}' of the password appeared for URL {url}:\n{text}");
                }
            }
        }
    }

    private static IEnumerable<string> SystematicMutations(string url)
    {
        for (var i = 0; i < url.Length; i++)
        {
            yield return url.Remove(i, 1);
            foreach (var c in Specials)
            {
                yield return url.Insert(i, c.ToString());
                yield return url.Remove(i, 1).Insert(i, c.ToString());
            }

            for (var length = 2; length <= 6 && i + length <= url.Length; length++)
            {
                yield return url.Remove(i, length);
            }
        }
    }

    private static string Mutate(string url, Random random)
    {
        if (url.Length == 0)
        {
            return Specials[random.Next(Specials.Length)].ToString();
        }

        var at = random.Next(url.Length);
        switch (random.Next(6))
        {
            case 0:
                return url.Remove(at, Math.Min(random.Next(1, 6), url.Length - at));
            case 1:
                return url.Insert(at, Specials[random.Next(Specials.Length)].ToString());
            case 2:
                return url.Remove(at, 1).Insert(at, Specials[random.Next(Specials.Length)].ToString());
            case 3:
                var other = random.Next(url.Length);
                var chars = url.ToCharArray();
                (chars[at], chars[other]) = (chars[other], chars[at]);
                return new string(chars);
            case 4:
                // Percent-encoded specials, decoded by the parser into any part.
                return url.Insert(at, Encoded[random.Next(Encoded.Length)]);
            default:
                return url.Insert(at, ((char)random.Next(33, 127)).ToString());
        }
    }
}
