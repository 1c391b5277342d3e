using System.Text.Json;
using Switchboard.Cli.Tests.Support;

namespace Switchboard.Cli.Tests;

public sealed class SqlCommandTests
{
    [Fact]
    public async Task Sql_WithJson_OnSqlite_PrintsTheStoredValuesAndNullAsNull()
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?> { ["main"] = new { driver = "sqlite", database = folder.EmptyDatabase() } });
        await Ok(folder, "sql", "main", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL, note TEXT, big INTEGER)");
        var insert = await Ok(folder, "sql", "main", "INSERT INTO items (id, name, price, note, big) VALUES (1, 'Grüße, \"quoted\"', 2.5, NULL, 9007199254740993), (2, 'b', -0.1, 'n', 0)");
        Assert.Contains("2 rows affected.", insert.Stdout, StringComparison.Ordinal);

        var run = await Ok(folder, "sql", "main", "SELECT id, name, price, note, big FROM items ORDER BY id", "--json");

        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(["id", "name", "price", "note", "big"], json.RootElement.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(1, rows[0].GetProperty("id").GetInt64());
        Assert.Equal("Grüße, \"quoted\"", rows[0].GetProperty("name").GetString());
        Assert.Equal(2.5, rows[0].GetProperty("price").GetDouble());
        Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("note").ValueKind);
        Assert.Equal(9007199254740993, rows[0].GetProperty("big").GetInt64());
        Assert.Equal(-0.1, rows[1].GetProperty("price").GetDouble());
        Assert.Equal("n", rows[1].GetProperty("note").GetString());
    }

    [Fact]
    public async Task Sql_AsTable_ShowsNullAsNullAndNumbersInvariantly()
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?> { ["main"] = new { driver = "sqlite", database = folder.EmptyDatabase() } });
        var environment = new Dictionary<string, string> { ["LANG"] = "de_DE.UTF-8", ["LC_ALL"] = "de_DE.UTF-8", ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "false" };

        var run = await CliRun.RunAsync(folder.Path, environment, "sql", "main", "SELECT NULL AS empty, 1234.5 AS amount, 'NULL' AS text");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"│ NULL +│ 1234\.5 +│ NULL +│", run.Stdout);
        Assert.Contains("1 row.", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_WithJson_OnPostgres_KeepsNumericExactAndTimestampsIso()
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?> { ["pg"] = PostgresConfig.Settings() });
        var table = "cli_json_" + Guid.NewGuid().ToString("N")[..12];
        await Ok(folder, "sql", "pg", $"CREATE TABLE {table} (id bigint PRIMARY KEY, amount numeric(28,10), seen timestamptz, label text)");
        try
        {
            await Ok(folder, "sql", "pg", $"INSERT INTO {table} VALUES (12345678901234, 123456789012345678.0123456789, '2024-02-29 13:45:00+02', NULL)");

            var run = await Ok(folder, "sql", "pg", $"SELECT id, amount, seen, label FROM {table}", "--json");

            using var json = JsonDocument.Parse(run.Stdout);
            var row = Assert.Single(json.RootElement.GetProperty("rows").EnumerateArray());
            Assert.Equal(12345678901234, row.GetProperty("id").GetInt64());
            Assert.Equal("123456789012345678.0123456789", row.GetProperty("amount").GetRawText());
            Assert.Equal(new DateTimeOffset(2024, 2, 29, 11, 45, 0, TimeSpan.Zero), row.GetProperty("seen").GetDateTimeOffset());
            Assert.Equal(JsonValueKind.Null, row.GetProperty("label").ValueKind);
            Assert.Equal(0, json.RootElement.GetProperty("affected_rows").GetInt32());
        }
        finally
        {
            await CliRun.RunAsync(folder.Path, "sql", "pg", $"DROP TABLE IF EXISTS {table}");
        }
    }

    [Fact]
    public async Task Sql_OnPostgres_ANumericBeyondDecimal_ExitsOneWithTheFixInsteadOfAValue()
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?> { ["pg"] = PostgresConfig.Settings() });

        var run = await CliRun.RunAsync(folder.Path, "sql", "pg", "SELECT 12345678901234567890.0123456789::numeric AS amount", "--json");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("Cast the column in SQL", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task Sql_WhenTheStatementFails_ExitsOneWithOneLine()
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?> { ["main"] = new { driver = "sqlite", database = folder.EmptyDatabase() } });

        var run = await CliRun.RunAsync(folder.Path, "sql", "main", "SELECT * FROM no_such_table");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("no such table", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_WithTwoColumnsOfOneName_RefusesRatherThanShowTheFirstValueTwice()
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?> { ["main"] = new { driver = "sqlite", database = folder.EmptyDatabase() } });

        var run = await CliRun.RunAsync(folder.Path, "sql", "main", "SELECT 1 AS v, 2 AS V", "--json");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("columns named 'v'", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task Sql_StatementStartingWithAt_ReachesTheServerAsWritten()
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?> { ["main"] = new { driver = "sqlite", database = folder.EmptyDatabase() } });

        File.WriteAllText(folder.File("stmt.rsp"), "\"SELECT 42 AS answer\"");

        // System.CommandLine would read "@stmt.rsp" as a response file, and run the statement inside it instead.
        var run = await CliRun.RunAsync(folder.Path, "sql", "main", "@stmt.rsp");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("A statement failed on 'main'", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.DoesNotContain("42", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_OnAMissingSqliteFile_ExitsOneAndDoesNotCreateIt()
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?> { ["main"] = new { driver = "sqlite", database = "missing.db" } });

        var run = await CliRun.RunAsync(folder.Path, "sql", "main", "CREATE TABLE t (x INTEGER)");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("does not exist", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("missing.db")));
    }

    private static async Task<CliResult> Ok(TempFolder folder, params string[] args)
    {
        var run = await CliRun.RunAsync(folder.Path, args);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Stderr);
        return run;
    }
}
