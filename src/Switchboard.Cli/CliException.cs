namespace Switchboard.Cli;

/// <summary>A failure the tool explains in one line and turns into an exit code; it never carries a secret.</summary>
internal sealed class CliException : Exception
{
    public CliException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    /// <summary>The process's exit code (<see cref="Cli.ExitCode"/>).</summary>
    public int ExitCode { get; }

    /// <summary>A usage error: bad arguments, or a configuration file missing or invalid (exit code 2).</summary>
    public static CliException Usage(string message) => new(Cli.ExitCode.Usage, message);

    /// <summary>A problem found while doing the work (exit code 1).</summary>
    public static CliException Problem(string message) => new(Cli.ExitCode.Problems, message);
}
