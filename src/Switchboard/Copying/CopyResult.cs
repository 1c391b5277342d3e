namespace Switchboard;

/// <summary>What a copy did: the rows written to the target (and committed) and how long it took.</summary>
public sealed class CopyResult
{
    internal CopyResult(long rows, TimeSpan elapsed)
    {
        Rows = rows;
        Elapsed = elapsed;
    }

    /// <summary>The number of rows written to the target, all committed in one transaction.</summary>
    public long Rows { get; }

    /// <summary>The time from the start of the copy to its commit.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Rows per second, for reports.</summary>
    public double RowsPerSecond => Elapsed > TimeSpan.Zero ? Rows / Elapsed.TotalSeconds : 0;

    /// <inheritdoc />
    public override string ToString() => $"{Rows} rows in {Elapsed.TotalSeconds:0.###} s";
}
