using System.Data.Common;
using Switchboard.Dialects;
using Switchboard.Pooling;

namespace Switchboard.Routing.Replicas;

/// <summary>One replica: its pool, and what is known of its health, lag and replayed position.</summary>
internal sealed class Replica
{
    private readonly ReplicaProtocol _protocol;
    private readonly object _gate = new();
    private volatile string? _position;
    private volatile int _health;
    private long _lagTicks = -1;
    private DateTimeOffset? _lastChecked;

    public Replica(int index, ConnectionConfig config, ConnectionPool pool, ReplicaProtocol protocol)
    {
        Index = index;
        Config = config;
        Pool = pool;
        _protocol = protocol;
    }

    public int Index { get; }

    public ConnectionConfig Config { get; }

    public ConnectionPool Pool { get; }

    public ReplicaHealth Health => (ReplicaHealth)_health;

    /// <summary>The position it was last seen to have replayed; null when unknown (never checked, or down since).</summary>
    public string? Position => _position;

    public TimeSpan? Lag => Interlocked.Read(ref _lagTicks) is var ticks and >= 0 ? TimeSpan.FromTicks(ticks) : null;

    public bool IsUsable => _health == (int)ReplicaHealth.Healthy;

    public ReplicaInfo Describe()
    {
        lock (_gate)
        {
            return new(Index, Config.Host, Config.Port, Config.Weight, Health, Lag, _lastChecked, Pool.Statistics);
        }
    }

    /// <summary>Whether it is known to have replayed <paramref name="required"/> (no round trip).</summary>
    public bool Covers(string required) => _position is { } position && _protocol.Covers(position, required);

    /// <summary>Out of rotation: what it replayed is forgotten, since a restarted replica may come back behind it.</summary>
    public void MarkDown(DateTimeOffset now)
    {
        lock (_gate)
        {
            _health = (int)ReplicaHealth.Down;
            _position = null;
            _lastChecked = now;
        }
    }

    /// <summary>Asks the replica for its state on a connection of its pool and records it.</summary>
    public async ValueTask<ReplicaState> CheckAsync(PooledConnection physical, TimeSpan maxLag, DateTimeOffset now, bool async, CancellationToken cancellationToken)
    {
        var command = physical.Pool.Source.CreateCommand(physical.Db);
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = _protocol.ReplicaStatusSql;
            var reader = async ? await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteReader();
            ReplicaState state;
            await using (reader.ConfigureAwait(false))
            {
                state = (async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read())
                    ? _protocol.ReadReplicaState(reader)
                    : new ReplicaState(null, null);
            }

            Record(state, maxLag, now);
            return state;
        }
    }

    private void Record(ReplicaState state, TimeSpan maxLag, DateTimeOffset now)
    {
        lock (_gate)
        {
            // Positions only move forward while it stays up; an answer overtaken by a later one does not move it back.
            if (state.Position is { } position && (_position is null || _protocol.Covers(position, _position)))
            {
                _position = position;
            }

            Interlocked.Exchange(ref _lagTicks, state.Lag is { } lag ? Math.Min(lag.Ticks, TimeSpan.MaxValue.Ticks) : -1);
            _health = (int)(state.Lag > maxLag ? ReplicaHealth.Lagging : ReplicaHealth.Healthy);
            _lastChecked = now;
        }
    }
}
