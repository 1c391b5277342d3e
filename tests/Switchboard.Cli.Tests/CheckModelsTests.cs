using System.ComponentModel.DataAnnotations.Schema;
using Switchboard.Cli.Tests.Support;

namespace Switchboard.Cli.Tests;

/// <summary><c>switchboard check --models app.dll</c>: the assembly's models are checked against each connection's live schema.</summary>
public sealed class CheckModelsTests
{
    private static string ModelsAssembly => typeof(CliWidget).Assembly.Location;

    [Fact]
    public async Task CheckModels_WhenAModelDoesNotFit_PrintsTheProblemAndExitsOne()
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?> { ["main"] = new { driver = "sqlite", database = folder.EmptyDatabase() } });
        var create = await CliRun.RunAsync(folder.Path, "sql", "main", "CREATE TABLE cli_widget (id INTEGER PRIMARY KEY, label TEXT NOT NULL, size INTEGER)");
        Assert.True(create.ExitCode == 0, create.ToString());

        var run = await CliRun.RunAsync(folder.Path, "check", "--models", ModelsAssembly);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("error: CliWidget.Name on 'main':", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("id, label, size", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("warning: CliWidget.Size on 'main':", run.Stdout, StringComparison.Ordinal);
        var error = Assert.Single(run.ErrorLines);
        Assert.Equal("switchboard: CliWidget.Name does not fit its table on 'main'.", error);
    }

    [Fact]
    public async Task CheckModels_WhenEveryModelFits_ExitsZero()
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?> { ["main"] = new { driver = "sqlite", database = folder.EmptyDatabase() } });
        var create = await CliRun.RunAsync(folder.Path, "sql", "main", "CREATE TABLE cli_widget (id INTEGER PRIMARY KEY, name TEXT NOT NULL, size INTEGER NOT NULL)");
        Assert.True(create.ExitCode == 0, create.ToString());

        var run = await CliRun.RunAsync(folder.Path, "check", "--models", ModelsAssembly);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Checked 1 model mappings", run.Stdout, StringComparison.Ordinal);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task CheckModels_WithAMissingAssembly_IsAUsageError()
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?> { ["main"] = new { driver = "sqlite", database = folder.EmptyDatabase() } });

        var run = await CliRun.RunAsync(folder.Path, "check", "--models", folder.File("nowhere.dll"));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("nowhere.dll does not exist", run.Stderr, StringComparison.Ordinal);
    }
}

/// <summary>The model the tool finds in this test assembly.</summary>
[Connection("main")]
[Table("cli_widget")]
public class CliWidget : ActiveRecord<CliWidget>
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public int Size { get; set; }
}
