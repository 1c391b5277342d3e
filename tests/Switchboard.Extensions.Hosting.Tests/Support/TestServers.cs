namespace Switchboard.Extensions.Hosting.Tests.Support;

/// <summary>
/// The one place test servers are found: one environment variable per engine, holding a connection URL.
/// A missing server skips the test with a reason on a laptop, and fails it under CI=true.
/// </summary>
public static class TestServers
{
    public const string PostgresVariable = "SWITCHBOARD_TEST_POSTGRES";
    public const string MySqlVariable = "SWITCHBOARD_TEST_MYSQL";

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The URL of the server, or skip (fail under CI) when it is not set.</summary>
    public static string Require(string variable)
    {
        var url = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(url))
        {
            return url;
        }

        var reason = $"{variable} is not set, so this test has no server; scripts/test starts one and sets it.";
        if (IsCi)
        {
            Assert.Fail(reason + " Under CI=true a missing server is a failure.");
        }

        Assert.Skip(reason);
        return "";
    }
}
