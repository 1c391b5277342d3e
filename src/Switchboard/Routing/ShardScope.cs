namespace Switchboard.Routing;

/// <summary>
/// The shards chosen by <c>ConnectionManager.UsingShard</c> in this async flow: an immutable stack behind an
/// <see cref="AsyncLocal{T}"/> of its own, so that it flows with <c>await</c> and never touches the other scopes.
/// </summary>
internal sealed class ShardScope : IDisposable
{
    private static readonly AsyncLocal<ShardScope?> s_current = new();
    private readonly ShardScope? _previous;
    private int _disposed;

    private ShardScope(string name, string shard, ShardScope? previous)
    {
        Name = name;
        Shard = shard;
        _previous = previous;
    }

    public string Name { get; }

    public string Shard { get; }

    /// <summary>The shard chosen for <paramref name="name"/> by the innermost scope of this flow, or null.</summary>
    public static string? Find(string name)
    {
        for (var scope = s_current.Value; scope is not null; scope = scope._previous)
        {
            if (scope._disposed == 0 && string.Equals(scope.Name, name, StringComparison.Ordinal))
            {
                return scope.Shard;
            }
        }

        return null;
    }

    public static ShardScope Push(string name, string shard)
    {
        var scope = new ShardScope(name, shard, s_current.Value);
        s_current.Value = scope;
        return scope;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Restores the flow this scope was made in; a disposed scope left deeper in a stack is skipped by Find.
        if (ReferenceEquals(s_current.Value, this))
        {
            var previous = _previous;
            while (previous is { _disposed: not 0 })
            {
                previous = previous._previous;
            }

            s_current.Value = previous;
        }
    }
}
