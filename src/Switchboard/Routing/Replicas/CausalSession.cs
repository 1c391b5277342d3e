using System.Collections.Concurrent;
using Switchboard.Dialects;

namespace Switchboard.Routing.Replicas;

/// <summary>What one flow has written, per connection name: the primary's position after its last write, and when.</summary>
internal sealed class CausalSession
{
    private readonly ConcurrentDictionary<string, CausalMark> _marks = new(StringComparer.Ordinal);

    /// <summary>The marks of this flow's own writes (and of tokens it continues after), for <c>CausalToken</c>.</summary>
    public IEnumerable<KeyValuePair<string, CausalMark>> OwnMarks => _marks.Where(m => m.Value.Own);

    /// <summary>A session that starts from everything this process (through the flow's registry) has written so far, so that it can never read older data.</summary>
    public static CausalSession FromProcess()
    {
        var session = new CausalSession();
        var registry = ConnectionRegistry.Current;
        foreach (var set in ReplicaSet.Live)
        {
            // Names are per registry: the floors of the registry this flow uses.
            if (set.Floor is { } floor && set.Registry == registry)
            {
                session.Record(set.Name, floor with { Own = false }, set.Protocol);
            }
        }

        return session;
    }

    /// <summary>Every mark, own and inherited.</summary>
    public IEnumerable<KeyValuePair<string, CausalMark>> Marks => _marks;

    /// <summary>This session with every mark counted as its own (a token for a flow Switchboard never saw must cover the process's writes).</summary>
    public CausalSession AsOwn()
    {
        var own = new CausalSession();
        foreach (var (name, mark) in _marks)
        {
            own._marks[name] = mark with { Own = true };
        }

        return own;
    }

    public CausalMark? Find(string name) => _marks.TryGetValue(name, out var mark) ? mark : null;

    public void Record(string name, CausalMark mark, ReplicaProtocol? protocol) =>
        _marks.AddOrUpdate(name, mark, (_, existing) => existing.Merge(mark, protocol));
}

/// <summary>A write to remember: the primary's position after it (null when unknown), when it was made, and whether its position is unknown.</summary>
/// <remarks><see cref="Own"/>: written by this flow (or carried by a token), not inherited from the rest of the process.</remarks>
internal sealed record CausalMark(string? Position, DateTimeOffset WrittenAt, bool PositionUnknown, bool Own = true)
{
    public CausalMark Merge(CausalMark other, ReplicaProtocol? protocol)
    {
        var position = (Position, other.Position) switch
        {
            (null, var p) => p,
            (var p, null) => p,
            var (a, b) => protocol?.Merge(a, b) ?? b,
        };
        return new CausalMark(position, WrittenAt > other.WrittenAt ? WrittenAt : other.WrittenAt, PositionUnknown || other.PositionUnknown, Own || other.Own);
    }
}
