namespace Switchboard.Records;

/// <summary>
/// A set of column indexes (the changed columns of a record), usable as a dictionary key. The first 64 columns live in
/// one word, so a model of up to 64 columns allocates nothing; wider models add words.
/// </summary>
internal readonly struct ColumnMask : IEquatable<ColumnMask>
{
    private readonly ulong _first;
    private readonly ulong[]? _rest;

    private ColumnMask(ulong first, ulong[]? rest)
    {
        _first = first;
        _rest = rest;
    }

    public bool IsEmpty => _first == 0 && (_rest is null || Array.TrueForAll(_rest, static word => word == 0));

    /// <summary>The set of the indexes in <paramref name="count"/> columns for which <paramref name="isIn"/> holds.</summary>
    public static ColumnMask Of<TState>(int count, TState state, Func<TState, int, bool> isIn)
    {
        var first = 0UL;
        var rest = count > 64 ? new ulong[(count - 1) / 64] : null;
        for (var i = 0; i < count; i++)
        {
            if (!isIn(state, i))
            {
                continue;
            }

            if (i < 64)
            {
                first |= 1UL << i;
            }
            else
            {
                rest![(i - 64) >> 6] |= 1UL << ((i - 64) & 63);
            }
        }

        return new ColumnMask(first, rest);
    }

    public bool Contains(int index) => index < 64
        ? (_first & (1UL << index)) != 0
        : _rest is { } rest && ((index - 64) >> 6) < rest.Length && (rest[(index - 64) >> 6] & (1UL << ((index - 64) & 63))) != 0;

    public bool Equals(ColumnMask other) =>
        _first == other._first && (_rest ?? []).AsSpan().SequenceEqual(other._rest ?? []);

    public override bool Equals(object? obj) => obj is ColumnMask other && Equals(other);

    public override int GetHashCode()
    {
        if (_rest is null)
        {
            return _first.GetHashCode();
        }

        var hash = new HashCode();
        hash.Add(_first);
        foreach (var word in _rest)
        {
            hash.Add(word);
        }

        return hash.ToHashCode();
    }
}
