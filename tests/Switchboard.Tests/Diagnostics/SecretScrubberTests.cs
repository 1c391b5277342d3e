using Switchboard.Diagnostics;

namespace Switchboard.Tests.Diagnostics;

/// <summary>The rule behind every redaction: the password, and any run of four or more of its characters, becomes ***.</summary>
public class SecretScrubberTests
{
    [Theory]
    [InlineData("hunter2", "user hunter2 failed", "user *** failed")]
    [InlineData("hunter2", "user hunt failed", "user *** failed")]
    [InlineData("hunter2", "ter2@db and hun", "***@db and hun")]
    [InlineData("hunter2", "hunter2hunter2", "******")]
    [InlineData("pw", "pw at pwd", "*** at ***d")]
    [InlineData("hunter2", "nothing here", "nothing here")]
    public void Scrub_ReplacesThePasswordAndEveryFragmentOfFourOrMore(string password, string text, string expected)
    {
        var scrubber = SecretScrubber.For(password)!;

        Assert.Equal(expected, scrubber.Scrub(text));
        Assert.Equal(expected != text, scrubber.Reveals(text));
    }

    [Fact]
    public void For_WithoutAPassword_IsNothing()
    {
        Assert.Null(SecretScrubber.For(null));
        Assert.Null(SecretScrubber.For(""));
    }

    [Fact]
    public void Scrub_OfAnExceptionShowingThePassword_KeepsTheFactsAndDropsTheSecret()
    {
        var scrubber = SecretScrubber.For("hunter2")!;
        var original = new InvalidOperationException("login as hunter2 failed", new IOException("hunter2 again"));
        original.Data["Server Error Code"] = 1045;
        original.Data["Detail"] = "user hunter2";

        var redacted = Assert.IsType<RedactedDriverException>(scrubber.Scrub(original));

        Assert.Equal(typeof(InvalidOperationException).FullName, redacted.DriverExceptionType);
        Assert.Equal("login as *** failed", redacted.Message);
        Assert.Equal(1045, redacted.Data["Server Error Code"]);
        Assert.Equal("user ***", redacted.Data["Detail"]);
        Assert.Equal("*** again", Assert.IsType<RedactedDriverException>(redacted.InnerException).Message);
        Assert.DoesNotContain("hunt", redacted.ToString(), StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException", redacted.ToString(), StringComparison.Ordinal);
    }
}
