using Switchboard.Cli.Tests.Support;

namespace Switchboard.Cli.Tests;

public sealed class CheckCommandTests
{
    [Fact]
    public async Task Check_OnHealthySqliteAndPostgres_ExitsZeroAndNamesEngineAndVersion()
    {
        using var folder = new TempFolder();
        var pg = PostgresConfig.Settings();
        folder.WriteConfig(new Dictionary<string, object?>
        {
            ["main"] = new { driver = "sqlite", database = folder.EmptyDatabase(), pool_size = 3 },
            ["pg"] = pg,
        });

        var run = await CliRun.RunAsync(folder.Path, "check");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Stderr);
        var main = Line(run.Stdout, "main");
        Assert.Contains("sqlite", main, StringComparison.Ordinal);
        Assert.Matches(@"│ 3\.\d+\.\d+ ", main);
        Assert.Contains("pool_size=3", main, StringComparison.Ordinal);
        Assert.Matches("│ healthy +│", main);
        var postgres = Line(run.Stdout, "pg");
        Assert.Contains("postgresql", postgres, StringComparison.Ordinal);
        Assert.Matches(@"PostgreSQL \d+\.\d+", postgres);
        Assert.Matches(@"\d+\.\d ms", postgres);
        Assert.DoesNotContain((string)pg["password"]!, run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_WithWrongPassword_ExitsOneNamesTheConnectionAndNeverShowsThePassword()
    {
        using var folder = new TempFolder();
        const string WrongPassword = "Wr0ng-Pa55word-Kx7";
        folder.WriteConfig(new Dictionary<string, object?>
        {
            ["main"] = new { driver = "sqlite", database = folder.EmptyDatabase() },
            ["pg_bad"] = PostgresConfig.Settings(password: WrongPassword),
        });

        var run = await CliRun.RunAsync(folder.Path, "check");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Matches("│ unhealthy +│", Line(run.Stdout, "pg_bad"));
        Assert.Matches("│ healthy +│", Line(run.Stdout, "main"));
        var error = Assert.Single(run.ErrorLines);
        Assert.StartsWith("switchboard: Connection 'pg_bad' is unhealthy:", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.All, StringComparison.Ordinal);
        foreach (var fragment in new[] { WrongPassword, "Pa55word", "Wr0ng", PostgresConfig.Password })
        {
            Assert.DoesNotContain(fragment, run.All, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Check_WhenSqliteFileIsMissing_ExitsOneAndDoesNotCreateIt()
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?> { ["main"] = new { driver = "sqlite", database = "typo.db" } });

        var run = await CliRun.RunAsync(folder.Path, "check");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Matches("│ unhealthy +│", Line(run.Stdout, "main"));
        Assert.Contains("does not exist", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("typo.db")), "A check must not create the database it checks.");
    }

    [Fact]
    public async Task Check_ReadsARelativeSqlitePathFromTheConfigFilesFolder_NotTheWorkingDirectory()
    {
        using var app = new TempFolder();
        using var elsewhere = new TempFolder();
        var config = app.WriteConfig(new Dictionary<string, object?> { ["main"] = new { driver = "sqlite", database = app.EmptyDatabase("app.db") } });

        var run = await CliRun.RunAsync(elsewhere.Path, "check", "--config", config);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.False(File.Exists(elsewhere.File("app.db")));
    }

    [Fact]
    public async Task Check_PasswordFromEnvironmentOverridesTheFile()
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?> { ["pg"] = PostgresConfig.Settings(password: "not-the-password") });
        var environment = new Dictionary<string, string> { ["Switchboard__Connections__pg__password"] = PostgresConfig.Password };

        var run = await CliRun.RunAsync(folder.Path, environment, "check");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches("│ healthy +│", Line(run.Stdout, "pg"));
    }

    [Fact]
    public async Task Check_OnMariaDb_NamesTheEngineAndVersion()
    {
        using var folder = new TempFolder();
        var server = ConnectionConfig.Parse(Switchboard.Tests.Support.TestServers.Require(Switchboard.Tests.Support.TestServers.MySqlVariable));
        folder.WriteConfig(new Dictionary<string, object?>
        {
            ["maria"] = new { driver = "mariadb", host = server.Host, port = server.Port, database = server.Database, username = server.Username, password = server.Password, pool_size = 2 },
        });

        var run = await CliRun.RunAsync(folder.Path, "check");

        Assert.True(run.ExitCode == 0, run.ToString());
        var maria = Line(run.Stdout, "maria");
        Assert.Contains("mariadb", maria, StringComparison.Ordinal);
        Assert.Matches(@"│ \d+\.\d+\.\d+-MariaDB", maria);
        Assert.DoesNotContain(server.Password!, run.All, StringComparison.Ordinal);
    }

    private static string Line(string table, string name) =>
        table.Split('\n').SingleOrDefault(l => l.StartsWith($"│ {name} ", StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"No row for '{name}' in:\n{table}");
}
