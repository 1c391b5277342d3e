namespace Switchboard.Pooling;

/// <summary>
/// The idle connections of a pool, oldest-returned first: a checkout takes from the back (LIFO) or the front (FIFO).
/// A ring buffer sized to the pool, so that returning a connection allocates nothing.
/// </summary>
internal sealed class IdleConnections(int capacity)
{
    private readonly PooledConnection?[] _items = new PooledConnection?[Math.Max(1, capacity)];
    private int _head;

    public int Count { get; private set; }

    public void Add(PooledConnection connection)
    {
        _items[(_head + Count) % _items.Length] = connection;
        Count++;
    }

    /// <summary>The connection <see cref="TryTake"/> would take, left in place.</summary>
    public PooledConnection? Peek(bool newest) =>
        Count == 0 ? null : _items[newest ? (_head + Count - 1) % _items.Length : _head];

    public bool TryTake(bool newest, out PooledConnection connection)
    {
        if (Count == 0)
        {
            connection = null!;
            return false;
        }

        int index;
        if (newest)
        {
            index = (_head + Count - 1) % _items.Length;
        }
        else
        {
            index = _head;
            _head = (_head + 1) % _items.Length;
        }

        connection = _items[index]!;
        _items[index] = null;
        Count--;
        return true;
    }

    /// <summary>Removes and returns the connections that match, keeping the order of the rest.</summary>
    public List<PooledConnection>? RemoveWhere(Func<PooledConnection, bool> match)
    {
        List<PooledConnection>? removed = null;
        var kept = 0;
        for (var i = 0; i < Count; i++)
        {
            var index = (_head + i) % _items.Length;
            var connection = _items[index]!;
            _items[index] = null;
            if (match(connection))
            {
                (removed ??= []).Add(connection);
            }
            else
            {
                _items[(_head + kept++) % _items.Length] = connection;
            }
        }

        Count = kept;
        return removed;
    }
}
