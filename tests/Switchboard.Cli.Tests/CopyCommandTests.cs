using Switchboard.Cli.Tests.Support;

namespace Switchboard.Cli.Tests;

public sealed class CopyCommandTests
{
    [Fact]
    public async Task Copy_BetweenTwoSqliteFiles_CopiesEveryRowAndSaysHowMany()
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?>
        {
            ["a"] = new { driver = "sqlite", database = folder.EmptyDatabase("a.db") },
            ["b"] = new { driver = "sqlite", database = folder.EmptyDatabase("b.db") },
        });
        await Ok(folder, "sql", "a", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL, note TEXT)");
        await Ok(folder, "sql", "a", "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500) INSERT INTO items SELECT i, 'item ' || i, i * 0.5, CASE WHEN i % 7 = 0 THEN NULL ELSE 'n' END FROM n");
        await Ok(folder, "sql", "b", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL, note TEXT)");

        var run = await Ok(folder, "copy", "--from", "a", "--to", "b", "--table", "items", "--batch-size", "1000");

        Assert.Contains("Copied 2,500 rows of 'items' from 'a' to 'b'", run.Stdout, StringComparison.Ordinal);
        var check = await Ok(folder, "sql", "b", "SELECT COUNT(*) AS n, SUM(id) AS ids, SUM(price) AS total, SUM(note IS NULL) AS nulls FROM items");
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(check.Stdout, @"│ 2500 +│ 3126250 +│ 1563125 +│ 357 +│"), check.Stdout);
    }

    [Fact]
    public async Task Copy_FromSqliteToPostgres_AndBack_WithAFailureThatLeavesTheTargetEmpty()
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?>
        {
            ["lite"] = new { driver = "sqlite", database = folder.EmptyDatabase("lite.db") },
            ["pg"] = PostgresConfig.Settings(),
        });
        var table = "cli_copy_" + Guid.NewGuid().ToString("N")[..12];
        await Ok(folder, "sql", "lite", $"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT, created TEXT NOT NULL)");
        await Ok(folder, "sql", "lite", $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO {table} SELECT i, 'secret ' || i, '2024-01-02 03:04:05' FROM n");
        await Ok(folder, "sql", "pg", $"CREATE TABLE {table} (id bigserial PRIMARY KEY, name text NOT NULL, created timestamp NOT NULL)");
        try
        {
            await Ok(folder, "sql", "lite", $"UPDATE {table} SET name = NULL WHERE id = 250");
            var failed = await CliRun.RunAsync(folder.Path, "copy", "--from", "lite", "--to", "pg", "--table", table, "--batch-size", "100");

            Assert.True(failed.ExitCode == 1, failed.ToString());
            var line = Assert.Single(failed.ErrorLines);
            Assert.Contains("row 250 (key 250)", line, StringComparison.Ordinal);
            Assert.DoesNotContain("secret", line, StringComparison.Ordinal);
            Assert.DoesNotContain(PostgresConfig.Password, failed.All, StringComparison.Ordinal);
            Assert.Matches(@"│ 0 +│", (await Ok(folder, "sql", "pg", $"SELECT COUNT(*) AS n FROM {table}")).Stdout);

            await Ok(folder, "sql", "lite", $"UPDATE {table} SET name = 'fixed' WHERE id = 250");
            var copied = await Ok(folder, "copy", "--from", "lite", "--to", "pg", "--table", table, "--batch-size", "100");
            await Ok(folder, "sql", "lite", $"DELETE FROM {table}");
            var back = await Ok(folder, "copy", "--from", "pg", "--to", "lite", "--table", table);

            Assert.Contains("Copied 300 rows", copied.Stdout, StringComparison.Ordinal);
            Assert.Contains("Copied 300 rows", back.Stdout, StringComparison.Ordinal);
            Assert.Matches(@"│ 300 +│ 45150 +│ 2024-01-02 03:04:05 +│", (await Ok(folder, "sql", "pg", $"SELECT COUNT(*) AS n, SUM(id) AS ids, MIN(created)::text AS created FROM {table}")).Stdout);

            // The bigserial's sequence was moved past the copied keys.
            Assert.Matches(@"│ 301 +│", (await Ok(folder, "sql", "pg", $"INSERT INTO {table} (name, created) VALUES ('new', now()) RETURNING id")).Stdout);
            Assert.Matches(@"│ 300 +│", (await Ok(folder, "sql", "lite", $"SELECT COUNT(*) AS n FROM {table}")).Stdout);
        }
        finally
        {
            await CliRun.RunAsync(folder.Path, "sql", "pg", $"DROP TABLE IF EXISTS {table}");
        }
    }

    [Theory]
    [InlineData(new[] { "copy", "--from", "a", "--to", "b" }, "--table")]
    [InlineData(new[] { "copy", "--from", "a", "--to", "a", "--table", "t" }, "both name 'a'")]
    [InlineData(new[] { "copy", "--from", "a", "--to", "nope", "--table", "t" }, "No connection named 'nope'")]
    [InlineData(new[] { "copy", "--from", "a", "--to", "b", "--table", "t", "--batch-size", "0" }, "--batch-size is 0")]
    public async Task Copy_WithBadArguments_ExitsTwoWithOneLine(string[] args, string expected)
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?>
        {
            ["a"] = new { driver = "sqlite", database = folder.EmptyDatabase("a.db") },
            ["b"] = new { driver = "sqlite", database = folder.EmptyDatabase("b.db") },
        });

        var run = await CliRun.RunAsync(folder.Path, args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(expected, Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_WhenTheTargetLacksAColumn_ExitsOneNamingIt()
    {
        using var folder = new TempFolder();
        folder.WriteConfig(new Dictionary<string, object?>
        {
            ["a"] = new { driver = "sqlite", database = folder.EmptyDatabase("a.db") },
            ["b"] = new { driver = "sqlite", database = folder.EmptyDatabase("b.db") },
        });
        await Ok(folder, "sql", "a", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, extra TEXT)");
        await Ok(folder, "sql", "a", "INSERT INTO items VALUES (1, 'x', 'y')");
        await Ok(folder, "sql", "b", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)");

        var run = await CliRun.RunAsync(folder.Path, "copy", "--from", "a", "--to", "b", "--table", "items");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("Column 'extra'", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.Matches(@"│ 0 +│", (await Ok(folder, "sql", "b", "SELECT COUNT(*) AS n FROM items")).Stdout);
    }

    private static async Task<CliResult> Ok(TempFolder folder, params string[] args)
    {
        var run = await CliRun.RunAsync(folder.Path, args);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }
}
