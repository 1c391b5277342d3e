using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Switchboard.Cli;

/// <summary><c>switchboard sql &lt;name&gt; "&lt;statement&gt;"</c>: runs one statement on a named connection and prints its rows.</summary>
internal static class SqlCommand
{
    public static Command Create(Option<string> config, Terminal terminal)
    {
        var name = new Argument<string>("name") { Description = "The connection's name, as under Switchboard:Connections." };
        var statement = new Argument<string>("statement") { Description = "The statement to run, quoted as one argument." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON (columns, rows, affected_rows) instead of a table." };
        var command = new Command("sql", "Run one statement on a named connection and print its rows as a table, or as JSON with --json.")
        {
            name,
            statement,
            json,
        };
        command.SetAction((parse, cancellationToken) => CliApp.GuardAsync(
            terminal,
            () => RunAsync(parse.GetValue(config)!, parse.GetValue(name)!, parse.GetValue(statement)!, parse.GetValue(json), terminal, cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(string configPath, string name, string statement, bool json, Terminal terminal, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(statement))
        {
            throw CliException.Usage("The statement is empty. Pass it as one quoted argument: switchboard sql <name> \"SELECT ...\".");
        }

        var registry = CliApp.CreateRegistry();
        await using (registry.ConfigureAwait(false))
        {
            ConfigFile.Load(configPath, registry);
            if (!registry.IsConfigured(name))
            {
                var near = registry.Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
                var hint = near is null ? "" : $" Did you mean '{near}'? Names are case-sensitive.";
                throw CliException.Usage(
                    $"No connection named '{name}' in {configPath}.{hint} Configured connections: {string.Join(", ", registry.Names)}.");
            }

            var connection = registry.GetConnection(name);
            if (SqliteGuard.Problem(connection) is { } missing)
            {
                throw CliException.Problem(missing);
            }

            var result = await connection.ExecuteRawAsync(statement, cancellationToken: cancellationToken).ConfigureAwait(false);
            RejectDuplicateColumns(result);
            if (json)
            {
                terminal.Output.WriteLine(ValueText.Json(result));
            }
            else
            {
                WriteTable(result, terminal);
            }

            return ExitCode.Ok;
        }
    }

    /// <summary>
    /// QueryResult keys a row by column name and keeps the first of two columns with the same name (case-insensitive),
    /// so the second would be shown with the first's value. Refused, rather than print a value that is not the one stored.
    /// </summary>
    private static void RejectDuplicateColumns(QueryResult result)
    {
        var duplicate = result.Columns.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw CliException.Problem(
                $"The result has {duplicate.Count()} columns named '{duplicate.Key}', which cannot be shown apart. Give each a distinct alias (... AS {duplicate.Key}_2).");
        }
    }

    private static void WriteTable(QueryResult result, Terminal terminal)
    {
        if (result.Columns.Count == 0)
        {
            terminal.Output.WriteLine(Rows(result.AffectedRows) + " affected.");
            return;
        }

        var table = new Table();
        foreach (var column in result.Columns)
        {
            table.AddColumn(new TableColumn(new Text(column)));
        }

        foreach (var row in result.Rows)
        {
            table.AddRow(result.Columns.Select(c => row[c] is null ? new Text(ValueText.Null, new Style(decoration: Decoration.Dim)) : new Text(ValueText.ForTable(row[c]))));
        }

        terminal.Ansi.Write(table);
        terminal.Output.WriteLine(Rows(result.Rows.Count) + ".");
    }

    private static string Rows(int count) => string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? "row" : "rows")}");
}
