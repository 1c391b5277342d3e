using Switchboard.Extensions.Hosting.Tests.Support;

namespace Switchboard.Extensions.Hosting.Tests;

/// <summary>The <c>retry</c> key of a connection in appsettings: a nested section, checked like the dictionary form.</summary>
public sealed class RetryConfigurationTests
{
    [Fact]
    public async Task RetrySection_BecomesTheConnectionsRetryOptions()
    {
        await using var host = HostFixture.Create(new Dictionary<string, string?>
        {
            ["Switchboard:Connections:primary:driver"] = "sqlite",
            ["Switchboard:Connections:primary:database"] = ":memory:",
            ["Switchboard:Connections:primary:retry:max_attempts"] = "5",
            ["Switchboard:Connections:primary:retry:base_delay"] = "0.25",
            ["Switchboard:Connections:primary:retry:deadline"] = "00:00:20",
        });

        var retry = host.Registry.GetConnection("primary").Config.Retry;

        Assert.NotNull(retry);
        Assert.Equal(5, retry.MaxAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(250), retry.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(20), retry.Deadline);
    }

    [Fact]
    public async Task RetrySection_WithABadValue_IsRefusedNamingRetry()
    {
        await using var host = HostFixture.Create(new Dictionary<string, string?>
        {
            ["Switchboard:Connections:primary:driver"] = "sqlite",
            ["Switchboard:Connections:primary:database"] = ":memory:",
            ["Switchboard:Connections:primary:retry:max_attempts"] = "0",
        });

        var error = Assert.Throws<ConfigurationException>(() => host.Registry);

        Assert.Contains("retry", error.Message, StringComparison.Ordinal);
        Assert.Contains("max_attempts must be between 1", error.Message, StringComparison.Ordinal);
    }
}
