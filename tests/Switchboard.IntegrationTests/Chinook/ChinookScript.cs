using System.Text;

namespace Switchboard.IntegrationTests.Chinook;

/// <summary>Cuts the Chinook scripts into what a driver can run: they were written for each engine's command-line client.</summary>
public static class ChinookScript
{
    /// <summary>
    /// The script without the statements that drop, create and switch to a database of its own (<c>DROP DATABASE</c>,
    /// <c>CREATE DATABASE</c>, <c>USE</c>, psql's <c>\c</c>): the test loads it into a store of its own instead.
    /// </summary>
    public static string WithoutDatabaseStatements(string script)
    {
        var kept = new StringBuilder(script.Length);
        foreach (var line in script.Split('\n'))
        {
            var text = line.TrimStart();
            if (text.StartsWith("DROP DATABASE", StringComparison.OrdinalIgnoreCase)
                || text.StartsWith("CREATE DATABASE", StringComparison.OrdinalIgnoreCase)
                || text.StartsWith("USE ", StringComparison.OrdinalIgnoreCase)
                || text.StartsWith("\\c ", StringComparison.Ordinal))
            {
                continue;
            }

            kept.Append(line).Append('\n');
        }

        return kept.ToString();
    }

    /// <summary>The batches of a SQL Server script, split at lines that hold only <c>GO</c>.</summary>
    public static IEnumerable<string> Batches(string script)
    {
        var batch = new StringBuilder();
        foreach (var line in script.Split('\n'))
        {
            if (line.Trim().Equals("GO", StringComparison.OrdinalIgnoreCase))
            {
                if (batch.ToString().Trim().Length > 0)
                {
                    yield return batch.ToString();
                }

                batch.Clear();
                continue;
            }

            batch.Append(line).Append('\n');
        }

        if (batch.ToString().Trim().Length > 0)
        {
            yield return batch.ToString();
        }
    }

    /// <summary>The statements of a script, split at a ';' that ends a line (the scripts never end a line inside a string so), comments dropped.</summary>
    public static IEnumerable<string> Statements(string script)
    {
        var statement = new StringBuilder();
        var inComment = false;
        foreach (var raw in script.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var trimmed = line.Trim();
            if (inComment || trimmed.StartsWith("/*", StringComparison.Ordinal))
            {
                inComment = !trimmed.EndsWith("*/", StringComparison.Ordinal);
                continue;
            }

            if (trimmed.Length == 0 || trimmed.StartsWith("--", StringComparison.Ordinal))
            {
                continue;
            }

            if (trimmed.EndsWith(';'))
            {
                statement.Append(line.TrimEnd()[..^1]);
                yield return statement.ToString().Trim();
                statement.Clear();
            }
            else
            {
                statement.Append(line).Append('\n');
            }
        }
    }
}
