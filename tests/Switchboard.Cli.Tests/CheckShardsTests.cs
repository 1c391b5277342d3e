using Switchboard.Cli.Tests.Support;

namespace Switchboard.Cli.Tests;

/// <summary>Each shard of <c>Switchboard:Shards</c> is a connection of the tool, named <c>&lt;name&gt;:&lt;shard&gt;</c>.</summary>
public sealed class CheckShardsTests
{
    private static void WriteShardedConfig(TempFolder folder, string usShard = """{ "driver": "sqlite", "database": "us.db" }""")
    {
        folder.EmptyDatabase("main.db");
        folder.EmptyDatabase("eu.db");
        folder.EmptyDatabase("us.db");
        File.WriteAllText(folder.File("appsettings.json"), $$"""
            {
              "Switchboard": {
                "Connections": { "main": { "driver": "sqlite", "database": "main.db" } },
                "Shards": {
                  "orders": {
                    "eu": { "driver": "sqlite", "database": "eu.db", "pool_size": 2 },
                    "us": {{usShard}}
                  }
                },
                "Tenants": { "tenant": { "driver": "sqlite", "database": "tenants/{tenant}.db" } }
              }
            }
            """);
    }

    [Fact]
    public async Task Check_PingsEveryShard_WithItsOwnSettingsAndEnvironmentOverrides()
    {
        using var folder = new TempFolder();
        WriteShardedConfig(folder);

        var run = await CliRun.RunAsync(folder.Path, new Dictionary<string, string> { ["Switchboard__Shards__orders__us__pool_size"] = "4" }, "check");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches("│ healthy +│", Line(run.Stdout, "main"));
        Assert.Contains("pool_size=2", Line(run.Stdout, "orders:eu"), StringComparison.Ordinal);
        Assert.Matches("│ healthy +│", Line(run.Stdout, "orders:eu"));
        Assert.Contains("pool_size=4", Line(run.Stdout, "orders:us"), StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.File("tenants"))); // a template names no database until a tenant's id is given
    }

    [Fact]
    public async Task Sql_RunsOnAShardByItsConnectionName()
    {
        using var folder = new TempFolder();
        WriteShardedConfig(folder);

        var run = await CliRun.RunAsync(folder.Path, "sql", "orders:eu", "SELECT 41 + 1 AS answer", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("\"answer\": 42", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AShardInTheUrlForm_IsRefusedNamingItsPath()
    {
        using var folder = new TempFolder();
        WriteShardedConfig(folder, usShard: "\"sqlite:///us.db\"");

        var run = await CliRun.RunAsync(folder.Path, "check");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("Switchboard:Shards:orders:us must be an object of settings", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidShardKey_IsReportedWithTheShardsPath()
    {
        using var folder = new TempFolder();
        WriteShardedConfig(folder, usShard: """{ "driver": "sqlite", "database": "us.db", "pool_size": "lots" }""");

        var run = await CliRun.RunAsync(folder.Path, "check");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("(Switchboard:Shards:orders:us:pool_size)", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    private static string Line(string table, string name) =>
        table.Split('\n').SingleOrDefault(l => l.StartsWith($"│ {name} ", StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"No row for '{name}' in:\n{table}");
}
