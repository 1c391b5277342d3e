namespace Switchboard.Cli;

/// <summary>What the tool's exit code means; scripts and CI jobs branch on these.</summary>
internal static class ExitCode
{
    /// <summary>Everything asked for worked.</summary>
    public const int Ok = 0;

    /// <summary>The tool ran, and found a problem: a connection unhealthy, a statement failed.</summary>
    public const int Problems = 1;

    /// <summary>The tool could not run as asked: bad arguments, a configuration file missing or invalid.</summary>
    public const int Usage = 2;
}
