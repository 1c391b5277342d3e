namespace Switchboard.Tests.Configuration;

/// <summary>Issue 8 (Messages): FromEnvironment refuses a variable that looks like a misspelt key, as the README promises.</summary>
public class FromEnvironmentTests
{
    [Theory]
    [InlineData("POOLSIZE", "POOL_SIZE", "pool_size")]
    [InlineData("POOL_SIZ", "POOL_SIZE", "pool_size")]
    [InlineData("DATABSE", "DATABASE", "database")]
    [InlineData("MINIDLE", "MIN_IDLE", "min_idle")]
    public void FromEnvironment_MisspeltKey_IsRefusedNamingTheVariableItMeant(string suffix, string meant, string key)
    {
        var prefix = Prefix();
        var error = WithVariables(
            new() { [prefix + "_DRIVER"] = "sqlite", [prefix + "_" + suffix] = "3" },
            () => Assert.Throws<ConfigurationException>(() => ConnectionConfig.FromEnvironment(prefix)));
        Assert.Contains($"{prefix}_{suffix} is not a configuration key", error.Message);
        Assert.Contains($"Did you mean {prefix}_{meant}?", error.Message);
        Assert.Equal(key, error.Key);
    }

    [Theory]
    [InlineData("BACKUP_DIR")]
    [InlineData("PID")]
    [InlineData("PORT_5432_TCP")]
    public void FromEnvironment_VariableUnlikeAnyKey_IsIgnored(string suffix)
    {
        var prefix = Prefix();
        var config = WithVariables(
            new() { [prefix + "_DRIVER"] = "sqlite", [prefix + "_" + suffix] = "x" },
            () => ConnectionConfig.FromEnvironment(prefix));
        Assert.Equal("sqlite", config.Driver);
    }

    private static string Prefix() => "SBENV" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    private static T WithVariables<T>(Dictionary<string, string> variables, Func<T> body)
    {
        try
        {
            foreach (var (name, value) in variables)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            return body();
        }
        finally
        {
            foreach (var name in variables.Keys)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }
}
