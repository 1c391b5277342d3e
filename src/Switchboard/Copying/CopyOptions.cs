namespace Switchboard;

/// <summary>How <see cref="Query{T}.CopyTo(string, CopyOptions?)"/> and <see cref="Connection.CopyTable(string, string, CopyOptions?)"/> copy rows.</summary>
public sealed class CopyOptions
{
    /// <summary>The default <see cref="BatchSize"/>.</summary>
    public const int DefaultBatchSize = 10_000;

    /// <summary>Rows sent to the target per bulk statement (one COPY, one bulk load, one multi-row INSERT batch); the memory a copy holds is bounded by it.</summary>
    /// <value>10,000. Between 1 and 1,000,000.</value>
    public int BatchSize { get; set; } = DefaultBatchSize;

    /// <summary>Told the number of rows written so far, after each batch and at the end.</summary>
    /// <value>null: no progress is reported.</value>
    public IProgress<long>? Progress { get; set; }

    /// <summary>Checks the options; throws <see cref="ArgumentException"/> naming the option and the fix.</summary>
    internal void Validate()
    {
        if (BatchSize is < 1 or > 1_000_000)
        {
            throw new ArgumentException(
                $"CopyOptions.BatchSize is {BatchSize}; it must be between 1 and 1,000,000. Set it to the number of rows sent per bulk statement (default {DefaultBatchSize}).",
                nameof(BatchSize));
        }
    }
}
