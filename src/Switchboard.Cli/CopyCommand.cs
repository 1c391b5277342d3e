using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Switchboard.Cli;

/// <summary>
/// <c>switchboard copy --from &lt;name&gt; --to &lt;name&gt; --table &lt;table&gt;</c>: streams every row of a table from one
/// connection into the table of the same name on another, through the target engine's bulk path, in one transaction.
/// </summary>
internal static class CopyCommand
{
    public static Command Create(Option<string> config, Terminal terminal)
    {
        var from = new Option<string>("--from") { Description = "The connection to read the rows from.", Required = true };
        var to = new Option<string>("--to") { Description = "The connection to write them to (its table must exist).", Required = true };
        var table = new Option<string>("--table") { Description = "The table to copy, as the databases spell it (schema.table for another schema).", Required = true };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Rows per bulk statement on the target.",
            DefaultValueFactory = _ => CopyOptions.DefaultBatchSize,
        };
        var command = new Command("copy", "Copy every row of a table from one connection to another through the target's bulk path, in one transaction, with a progress bar.")
        {
            from,
            to,
            table,
            batchSize,
        };
        command.SetAction((parse, cancellationToken) => CliApp.GuardAsync(
            terminal,
            () => RunAsync(parse.GetValue(config)!, parse.GetValue(from)!, parse.GetValue(to)!, parse.GetValue(table)!, parse.GetValue(batchSize), terminal, cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(string configPath, string from, string to, string table, int batchSize, Terminal terminal, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(table))
        {
            throw CliException.Usage("The table is empty. Name it: switchboard copy --from <name> --to <name> --table <table>.");
        }

        if (batchSize is < 1 or > 1_000_000)
        {
            throw CliException.Usage($"--batch-size is {batchSize}; it must be between 1 and 1000000.");
        }

        if (from == to)
        {
            throw CliException.Usage($"--from and --to both name '{from}'. Copy between two different connections.");
        }

        var registry = CliApp.CreateRegistry();
        await using (registry.ConfigureAwait(false))
        {
            ConfigFile.Load(configPath, registry);
            var source = Require(registry, from, configPath);
            var target = Require(registry, to, configPath);
            var options = new CopyOptions { BatchSize = batchSize };
            CopyResult result;
            try
            {
                result = terminal.IsInteractive
                    ? await WithProgressBarAsync(source, target, table, options, terminal, cancellationToken).ConfigureAwait(false)
                    : await source.CopyTableAsync(table, to, options, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException exception)
            {
                // A column of the source that the target lacks: the message names it and the fix, and holds no value.
                throw CliException.Problem(exception.Message);
            }

            terminal.Output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Copied {result.Rows:N0} {(result.Rows == 1 ? "row" : "rows")} of '{table}' from '{from}' to '{to}' in {result.Elapsed.TotalSeconds:0.00} s ({result.RowsPerSecond:N0} rows/s)."));
            return ExitCode.Ok;
        }
    }

    private static Connection Require(ConnectionRegistry registry, string name, string configPath)
    {
        if (!registry.IsConfigured(name))
        {
            var near = registry.Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
            var hint = near is null ? "" : $" Did you mean '{near}'? Names are case-sensitive.";
            throw CliException.Usage($"No connection named '{name}' in {configPath}.{hint} Configured connections: {string.Join(", ", registry.Names)}.");
        }

        var connection = registry.GetConnection(name);
        return SqliteGuard.Problem(connection) is { } missing ? throw CliException.Problem(missing) : connection;
    }

    /// <summary>A progress bar sized by a count of the source rows, moved after each batch.</summary>
    private static async Task<CopyResult> WithProgressBarAsync(Connection source, Connection target, string table, CopyOptions options, Terminal terminal, CancellationToken cancellationToken)
    {
        var quoted = string.Join(".", table.Split('.').Select(p => source.Dialect.QuoteIdentifier(p.Trim())));
        var total = await source.ScalarAsync<long>("SELECT COUNT(*) FROM " + quoted, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await terminal.Ansi.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask(Markup.Escape($"{table}: {source.Name} → {target.Name}"), maxValue: Math.Max(1, total));
                options.Progress = new Progress(rows => bar.Value = rows);
                var result = await source.CopyTableAsync(table, target.Name, options, cancellationToken).ConfigureAwait(false);
                bar.Value = bar.MaxValue;
                return result;
            }).ConfigureAwait(false);
    }

    /// <summary>Progress handled where it is reported (the bar is thread-safe), not posted to a synchronization context.</summary>
    private sealed class Progress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
