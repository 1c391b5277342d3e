using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;

namespace Switchboard.Cli;

/// <summary>The <c>switchboard</c> command line: parses the arguments, runs a command, and turns every outcome into an exit code.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var terminal = new Terminal(output, error);
        var config = new Option<string>("--config")
        {
            Description = "The appsettings.json-style file whose Switchboard:Connections section (and Switchboard:Shards, each shard as <name>:<shard>) names the connections.",
            DefaultValueFactory = _ => ConfigFile.DefaultPath,
            Recursive = true,
        };
        // A plain command rather than RootCommand, whose name is the entry assembly's (Switchboard.Cli), not the tool's.
        var root = new Command("switchboard", "Switchboard's command-line tool: check the configured connections, run a statement on one, copy a table between two.")
        {
            new HelpOption(),
            new VersionOption(),
            config,
            CheckCommand.Create(config, terminal),
            SqlCommand.Create(config, terminal),
            CopyCommand.Create(config, terminal),
        };

        // A statement such as "@file" must reach the server as written, not be read as a response file.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            var messages = string.Join(" ", parse.Errors.Select(e => e.Message.TrimEnd('.') + ".").Distinct(StringComparer.Ordinal));
            terminal.WriteError($"{messages} Run 'switchboard --help' for usage.");
            return ExitCode.Usage;
        }

        // Our actions catch their own failures; the default handler would print a stack trace.
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
    }

    /// <summary>A registry with every provider this tool ships registered explicitly (no scanning of loaded assemblies).</summary>
    public static ConnectionRegistry CreateRegistry() =>
        new ConnectionRegistry().AddSqlite().AddPostgreSql().AddMySql().AddSqlServer();

    /// <summary>Runs a command, turning each failure into one line on standard error and an exit code; never a stack trace.</summary>
    public static async Task<int> GuardAsync(Terminal terminal, Func<Task<int>> command)
    {
        try
        {
            return await command().ConfigureAwait(false);
        }
        catch (CliException exception)
        {
            terminal.WriteError(exception.Message);
            return exception.ExitCode;
        }
        catch (ConfigurationException exception)
        {
            terminal.WriteError(exception.Message);
            return ExitCode.Usage;
        }
        catch (SwitchboardException exception)
        {
            // The core's messages are scrubbed of passwords; the inner driver exception is never printed.
            terminal.WriteError(exception.Message);
            return ExitCode.Problems;
        }
        catch (OperationCanceledException)
        {
            terminal.WriteError("Cancelled.");
            return ExitCode.Problems;
        }
#pragma warning disable CA1031 // The last line of defence: whatever escaped is reported by type only, as its text may hold a secret.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            terminal.WriteError(string.Create(
                CultureInfo.InvariantCulture,
                $"Unexpected {exception.GetType().Name}; nothing more is shown in case its text holds a secret. Please report it with the command you ran."));
            return ExitCode.Problems;
        }
    }
}
