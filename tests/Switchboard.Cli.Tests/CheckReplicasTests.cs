using Switchboard.Cli.Tests.Support;

namespace Switchboard.Cli.Tests;

/// <summary><c>switchboard check</c> with replicas: one row per replica (SQLite "replicas" are other files).</summary>
public sealed class CheckReplicasTests
{
    [Fact]
    public async Task Check_WithReplicas_PrintsOneHealthyRowPerReplica_AndExitsZero()
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?>
        {
            ["main"] = new
            {
                driver = "sqlite",
                database = folder.EmptyDatabase(),
                pool_size = 3,
                replicas = new object[] { new { database = folder.EmptyDatabase("r0.db") }, new { database = folder.EmptyDatabase("r1.db"), pool_size = 2 } },
            },
        });

        var run = await CliRun.RunAsync(folder.Path, "check");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Stderr);
        Assert.Matches("│ healthy +│", Line(run.Stdout, "main"));
        var first = Line(run.Stdout, "main/replica0");
        Assert.Contains("sqlite", first, StringComparison.Ordinal);
        Assert.Contains("pool_size=3", first, StringComparison.Ordinal);
        Assert.Matches("│ healthy +│", first);
        var second = Line(run.Stdout, "main/replica1");
        Assert.Contains("pool_size=2", second, StringComparison.Ordinal);
        Assert.Matches("│ healthy +│", second);
    }

    [Fact]
    public async Task Check_WhenAReplicaFileIsMissing_ExitsOneNamesItsPath_AndDoesNotCreateIt()
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?>
        {
            ["main"] = new { driver = "sqlite", database = folder.EmptyDatabase(), replicas = new object[] { new { database = "typo-replica.db" } } },
        });

        var run = await CliRun.RunAsync(folder.Path, "check");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Matches("│ healthy +│", Line(run.Stdout, "main"));
        Assert.Matches("│ unhealthy +│", Line(run.Stdout, "main/replica0"));
        var error = Assert.Single(run.ErrorLines);
        Assert.Contains("Switchboard:Connections:main:replicas:0:database", error, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("typo-replica.db")), "A check must not create the replica it checks.");
    }

    private static string Line(string table, string name) =>
        table.Split('\n').SingleOrDefault(l => l.StartsWith($"│ {name} ", StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"No row for '{name}' in:\n{table}");
}
