using Switchboard.Diagnostics;

namespace Switchboard.Pooling;

// Whether a connection is alive: the pre-ping before a checkout, the health check, and warming a pool.
internal sealed partial class ConnectionPool
{
    /// <summary>Opens one connection now (or up to <c>min_idle</c>) and pools it (<c>InitializeAll</c>).</summary>
    public async ValueTask WarmAsync(bool async, CancellationToken cancellationToken)
    {
        var connection = await RentAsync(async, cancellationToken).ConfigureAwait(false);
        Return(connection, connection.Lease);
        Maintain();
    }

    /// <summary>Pings one connection of the pool: how long it took, or why it failed. Does not wait for a busy pool.</summary>
    public async ValueTask<ConnectionHealth> CheckHealthAsync(bool async, CancellationToken cancellationToken)
    {
        var statistics = Statistics;
        if (statistics.Idle == 0 && statistics.Size >= statistics.MaxSize)
        {
            return new ConnectionHealth(Name, HealthStatus.Degraded, TimeSpan.Zero, $"All {statistics.MaxSize} connections are in use and {statistics.Waiting} callers are waiting; not pinged.", statistics);
        }

        var started = _time.GetTimestamp();
        try
        {
            var connection = await RentAsync(async, cancellationToken).ConfigureAwait(false);
            try
            {
                await connection.PingAsync(async, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                connection.MarkDisconnected();
                throw ConnectFailed(exception);
            }
            finally
            {
                Return(connection, connection.Lease);
            }

            return new ConnectionHealth(Name, HealthStatus.Healthy, _time.GetElapsedTime(started), null, Statistics);
        }
        catch (SwitchboardException exception)
        {
            return new ConnectionHealth(Name, HealthStatus.Unhealthy, _time.GetElapsedTime(started), exception.Message, Statistics);
        }
    }

    private bool NeedsPing(PooledConnection connection, long now) => _prePing switch
    {
        PrePing.Always => true,
        PrePing.Idle => now - connection.ReturnedAt > _prePingWindowTimestamp,
        _ => false,
    };

    private async ValueTask<bool> PingAsync(PooledConnection connection, bool async, CancellationToken cancellationToken)
    {
        try
        {
            await connection.PingAsync(async, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch
        {
            // Cancelled while pinging: the connection's state is unknown, so it is not pooled again.
            Discard(connection, ConnectionCloseReason.CancelledPrePing);
            throw;
        }
    }
}
