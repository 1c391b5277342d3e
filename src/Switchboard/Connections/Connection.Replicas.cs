using Switchboard.Diagnostics;
using Switchboard.Pooling;
using Switchboard.Routing.Replicas;

namespace Switchboard;

// Read replicas: the connection's replica set, leases on a replica, and what a write leaves behind for read-your-writes.
public sealed partial class Connection
{
    private ReplicaSet? _replicaSet;

    /// <summary>The connection's replicas as routing sees them now: host, port, health, last known lag and pool statistics; empty without replicas.</summary>
    public IReadOnlyList<ReplicaInfo> Replicas => _replicaSet is { } set ? [.. set.Replicas.Select(r => r.Describe())] : [];

    /// <summary>
    /// Checks every replica now, one after the other (connects, asks its health and lag, as routing's own periodic check
    /// does) and returns them as routing then sees them; empty without replicas. A replica that cannot be reached is
    /// reported <see cref="ReplicaHealth.Down"/>, not thrown.
    /// </summary>
    /// <param name="cancellationToken">Stops the check.</param>
    /// <returns>The replicas after the check.</returns>
    public async Task<IReadOnlyList<ReplicaInfo>> CheckReplicasAsync(CancellationToken cancellationToken = default)
    {
        if (_replicaSet is not { } set)
        {
            return [];
        }

        await set.CheckAllAsync(cancellationToken).ConfigureAwait(false);
        return Replicas;
    }

    internal ReplicaSet? ReplicaSet => _replicaSet;

    internal void AttachReplicas(ReplicaSet set) => _replicaSet = set;

    /// <summary>Gives the calling flow a causal session (synchronously, so that it outlives the async call) when this connection has replicas.</summary>
    private Connection Tracked()
    {
        if (_replicaSet is not null)
        {
            RoutingFlow.EnsureSession();
        }

        return this;
    }

    /// <summary>Records a committed write made outside <see cref="RunAsync"/>'s own path (a transaction's commit) on <paramref name="physical"/>.</summary>
    internal async ValueTask AfterCommitAsync(PooledConnection physical, bool async)
    {
        if (_replicaSet is not null)
        {
            await RecordWriteAsync(physical, async).ConfigureAwait(false);
        }
    }

    private ValueTask RecordWriteAsync(ConnectionLease lease, bool async) => RecordWriteAsync(lease.Connection, async);

    /// <summary>Remembers the primary's position after a committed write, for this flow and for the process; never fails the write.</summary>
    private async ValueTask RecordWriteAsync(PooledConnection physical, bool async)
    {
        var set = _replicaSet!;
        string? position = null;
        var unknown = false;
        if (set.Mode == ReadYourWrites.Causal && set.Protocol.PrimaryPositionSql is { } positionSql)
        {
            try
            {
                var command = physical.Pool.Source.CreateCommand(physical.Db);
                await using (command.ConfigureAwait(false))
                {
                    command.CommandText = positionSql;
                    command.CommandTimeout = physical.Pool.CommandTimeoutSeconds;
                    var value = async ? await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false) : command.ExecuteScalar();
                    position = value is null or DBNull ? null : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            catch (Exception exception)
            {
                // The write itself committed: its result stands; only where later reads may go changes.
                Log.PositionUnknown(set.Logger, Pool.Scrub(exception), Name);
                physical.Break();
            }

            unknown = position is null;
        }

        RecordWrite(new CausalMark(position, set.Time.GetUtcNow(), unknown));
    }

    private void RecordWrite(CausalMark mark)
    {
        var set = _replicaSet!;
        set.RecordWrite(mark);
        RoutingFlow.Current?.Session?.Record(Name, mark, set.Protocol);
    }

    /// <summary>A lease on the route's replica, after asking it for the position when the route says so; or the route to take instead.</summary>
    private async ValueTask<(ConnectionLease Lease, Route? Retry)> LeaseReplicaAsync(Route route, bool async, CancellationToken cancellationToken)
    {
        var set = _replicaSet!;
        var replica = route.Replica!;
        PooledConnection physical;
        try
        {
            physical = await replica.Pool.RentAsync(async, cancellationToken).ConfigureAwait(false);
        }
        catch (ConnectionException failed) when (failed is not PoolTimeoutException)
        {
            set.MarkDown(replica, failed);
            return (default, ReplicaRouter.Reroute(this, set, replica, route.Required));
        }

        var lease = new ConnectionLease(physical, null);
        if (route.AskFor is not { } required)
        {
            return (lease, null);
        }

        try
        {
            await replica.CheckAsync(physical, set.MaxLag, set.Time.GetUtcNow(), async, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            physical.Break();
            lease.Release();
            set.MarkDown(replica, exception);
            RoutingMetrics.Count(this, RoutingMetrics.Primary, RoutingMetrics.Down);
            return (default, default(Route));
        }

        if (replica.IsUsable && replica.Covers(required))
        {
            RoutingMetrics.Count(this, RoutingMetrics.Replica, RoutingMetrics.Causal);
            return (lease, null);
        }

        lease.Release();
        RoutingMetrics.Count(this, RoutingMetrics.Primary, RoutingMetrics.Causal);
        return (default, default(Route));
    }
}
