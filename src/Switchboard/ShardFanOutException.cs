namespace Switchboard;

/// <summary>
/// One or more shards failed in <see cref="ConnectionManager.ForEachShardAsync{TResult}"/>: it carries every shard's
/// outcome, the results of those that succeeded and the exceptions of those that failed, never just the first failure.
/// </summary>
public sealed class ShardFanOutException : SwitchboardException
{
    /// <summary>Creates the exception from every shard's outcome.</summary>
    /// <param name="connectionName">The sharded connection's name.</param>
    /// <param name="results">The result of each shard that succeeded, by shard.</param>
    /// <param name="failures">The exception of each shard that failed (or was cancelled), by shard.</param>
    public ShardFanOutException(string connectionName, IReadOnlyDictionary<string, object?> results, IReadOnlyDictionary<string, Exception> failures)
        : base(
            $"{failures?.Count} of {(results?.Count ?? 0) + (failures?.Count ?? 0)} shards of '{connectionName}' failed: "
            + string.Join(" ", (failures ?? new Dictionary<string, Exception>()).OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"[{f.Key}] {f.Value.GetType().Name}: {f.Value.Message}"))
            + " Results holds the shards that succeeded and Failures each failure; nothing was rolled back on the shards that succeeded.",
            connectionName,
            isTransient: failures?.Values.All(f => f is SwitchboardException { IsTransient: true }) == true,
            new AggregateException(failures?.Values ?? []))
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(failures);
        Results = results;
        Failures = failures;
    }

    /// <summary>The result of each shard that succeeded, by shard name.</summary>
    public IReadOnlyDictionary<string, object?> Results { get; }

    /// <summary>The exception of each shard that failed or was cancelled, by shard name.</summary>
    public IReadOnlyDictionary<string, Exception> Failures { get; }
}
