using Spectre.Console;

namespace Switchboard.Cli;

/// <summary>Where the tool writes: tables to standard output through Spectre.Console, errors as one line each to standard error.</summary>
internal sealed class Terminal
{
    // Redirected output (a file, a pipe, a test) has no width: a wide one keeps values whole instead of wrapped.
    private const int RedirectedWidth = 4096;

    public Terminal(TextWriter output, TextWriter error)
    {
        Output = output;
        Error = error;
        var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        IsInteractive = interactive;
        if (!interactive)
        {
            Ansi.Profile.Width = RedirectedWidth;
        }
    }

    public TextWriter Output { get; }

    /// <summary>Whether standard output is a terminal: only then are spinners drawn (never into a pipe or a file).</summary>
    public bool IsInteractive { get; }

    public TextWriter Error { get; }

    public IAnsiConsole Ansi { get; }

    /// <summary>Runs <paramref name="work"/> with a spinner and <paramref name="caption"/> on a terminal, or plainly otherwise.</summary>
    public Task<T> WithStatusAsync<T>(string caption, Func<Task<T>> work) =>
        IsInteractive ? Ansi.Status().StartAsync(Markup.Escape(caption), _ => work()) : work();

    /// <summary>Writes one error line, <c>switchboard: ...</c>; line breaks inside the message become spaces.</summary>
    public void WriteError(string message)
    {
        var line = string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Error.WriteLine("switchboard: " + line);
    }
}
