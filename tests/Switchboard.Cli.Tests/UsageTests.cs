using Switchboard.Cli.Tests.Support;

namespace Switchboard.Cli.Tests;

/// <summary>Exit code 2: the tool could not run as asked. Always one line on standard error, never a stack trace.</summary>
public sealed class UsageTests
{
    [Theory]
    [InlineData(new string[0], "Required command was not provided")]
    [InlineData(new[] { "sql" }, "Required argument missing")]
    [InlineData(new[] { "sql", "main" }, "Required argument missing")]
    [InlineData(new[] { "check", "--bogus" }, "--bogus")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    [InlineData(new[] { "check", "--config" }, "--config")]
    public async Task BadArguments_ExitTwoWithOneLine(string[] args, string expected)
    {
        using var folder = new TempFolder();

        var run = await CliRun.RunAsync(folder.Path, args);

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("switchboard: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("sql")]
    public async Task MissingConfigFile_ExitsTwoWithOneLineNamingTheFileAndTheOption(string command)
    {
        using var folder = new TempFolder();
        string[] args = command == "sql" ? ["sql", "main", "SELECT 1", "--config", "absent.json"] : ["check", "--config", "absent.json"];

        var run = await CliRun.RunAsync(folder.Path, args);

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains("'absent.json' was not found", line, StringComparison.Ordinal);
        Assert.Contains("--config", line, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task ConfigOption_IsAcceptedBeforeTheCommandToo()
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?> { ["main"] = new { driver = "sqlite", database = folder.EmptyDatabase() } }, "other.json");

        var run = await CliRun.RunAsync(folder.Path, "--config", "other.json", "sql", "main", "SELECT 1 AS one");

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public async Task InvalidJson_ExitsTwoWithThePositionAndWithoutQuotingTheFile()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("appsettings.json"), "{ \"Switchboard\": { \"Connections\": { \"pg\": { \"password\": s3cr3t-Value } } } }");

        var run = await CliRun.RunAsync(folder.Path, "check");

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains("is not valid JSON (line 1", line, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr", run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidSetting_ExitsTwoNamingTheConfigurationPath()
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?> { ["main"] = new { driver = "sqlite", database = folder.EmptyDatabase(), pool_size = 0 } });

        var run = await CliRun.RunAsync(folder.Path, "check");

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains("pool_size must be between 1", line, StringComparison.Ordinal);
        Assert.Contains("Switchboard:Connections:main:pool_size", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoConnectionsSection_ExitsTwo()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("appsettings.json"), "{ \"Logging\": {} }");

        var run = await CliRun.RunAsync(folder.Path, "check");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("no connections are configured", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownConnectionName_ExitsTwoListingTheConfiguredOnes()
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?> { ["Main"] = new { driver = "sqlite", database = folder.EmptyDatabase() } });

        var run = await CliRun.RunAsync(folder.Path, "sql", "main", "SELECT 1");

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains("No connection named 'main'", line, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'Main'?", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OracleConnection_ExitsTwoSayingTheToolCannotOpenIt()
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?> { ["ora"] = new { driver = "oracle", host = "localhost", database = "d", service_name = "XE" } });

        var run = await CliRun.RunAsync(folder.Path, "check");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("this tool cannot open", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScalarsAreReadAsConfigurationReadsThem_ANumberWhereTextIsExpectedIsItsText()
    {
        using var folder = new TempFolder();
        folder.EmptyDatabase("2024");
        File.WriteAllText(folder.File("appsettings.json"), "{ \"Switchboard\": { \"Connections\": { \"main\": { \"driver\": \"sqlite\", \"database\": 2024, \"pool_size\": \"3\", \"echo\": false } } } }");

        var run = await CliRun.RunAsync(folder.Path, "check");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("pool_size=3", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ExitsZeroAndNamesTheToolAndItsCommands()
    {
        using var folder = new TempFolder();

        var run = await CliRun.RunAsync(folder.Path, "--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("switchboard [command] [options]", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("sql <name> <statement>", run.Stdout, StringComparison.Ordinal);
        Assert.Equal("", run.Stderr);
    }
}
