using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Switchboard.Diagnostics;
using Switchboard.Dialects;

namespace Switchboard.Routing.Replicas;

/// <summary>
/// The replicas of one primary connection: weighted choice among the healthy ones, their checks every
/// <c>replica_check_interval</c>, and what this process last wrote to the primary (the floor of every new flow).
/// </summary>
internal sealed class ReplicaSet : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<ReplicaSet, byte> s_live = new();

    private readonly Replica[] _replicas;
    private readonly int[] _slots;
    private readonly ILogger _logger;
    private readonly object _floorGate = new();
    private ITimer? _timer;
    private CausalMark? _floor;
    private int _next;
    private int _checking;
    private int _started;
    private bool _disposed;

    public ReplicaSet(ConnectionRegistry registry, string name, Replica[] replicas, ReplicaProtocol protocol, ConnectionConfig primary, TimeProvider time, ILogger logger)
    {
        Registry = registry;
        Name = name;
        _replicas = replicas;
        Protocol = protocol;
        Time = time;
        _logger = logger;
        Mode = primary.ReadYourWrites ?? (protocol.PrimaryPositionSql is null ? ReadYourWrites.Window : ReadYourWrites.Causal);
        StickyWindow = primary.StickyWindow;
        MaxLag = primary.MaxReplicaLag;
        CheckInterval = primary.ReplicaCheckInterval;
        _slots = [.. replicas.SelectMany(r => Enumerable.Repeat(r.Index, r.Config.Weight))];
        s_live[this] = 0;
    }

    /// <summary>Every replica set of every registry in the process.</summary>
    public static IEnumerable<ReplicaSet> Live => s_live.Keys;

    /// <summary>Whether any connection of the process has replicas now.</summary>
    public static bool AnyLive => !s_live.IsEmpty;

    public ConnectionRegistry Registry { get; }

    public string Name { get; }

    public ReplicaProtocol Protocol { get; }

    public TimeProvider Time { get; }

    public ReadYourWrites Mode { get; }

    public TimeSpan StickyWindow { get; }

    public TimeSpan MaxLag { get; }

    public TimeSpan CheckInterval { get; }

    public IReadOnlyList<Replica> Replicas => _replicas;

    public ILogger Logger => _logger;

    /// <summary>The process's last write to the primary: what a flow that never recorded its own must assume it wrote.</summary>
    public CausalMark? Floor => Volatile.Read(ref _floor);

    /// <summary>A healthy replica in weighted turn, or null when none is healthy. <paramref name="except"/> is skipped (a retry).</summary>
    public Replica? Pick(Replica? except = null)
    {
        EnsureChecking();
        if (_replicas.Length == 1)
        {
            // One replica: no turn to take, so no shared counter to contend on.
            var only = _replicas[0];
            return only.IsUsable && only != except ? only : null;
        }

        var start = _slots[(int)((uint)Interlocked.Increment(ref _next) % (uint)_slots.Length)];
        for (var i = 0; i < _replicas.Length; i++)
        {
            var replica = _replicas[(start + i) % _replicas.Length];
            if (replica.IsUsable && replica != except)
            {
                return replica;
            }
        }

        return null;
    }

    /// <summary>A healthy replica known to have replayed <paramref name="position"/>, in turn, or null.</summary>
    public Replica? PickCovering(string position, Replica? except = null)
    {
        EnsureChecking();
        var start = _slots[(int)((uint)Interlocked.Increment(ref _next) % (uint)_slots.Length)];
        for (var i = 0; i < _replicas.Length; i++)
        {
            var replica = _replicas[(start + i) % _replicas.Length];
            if (replica.IsUsable && replica != except && replica.Covers(position))
            {
                return replica;
            }
        }

        return null;
    }

    /// <summary>Why no replica could be picked: all down, or the rest lagging.</summary>
    public string WhyNone()
    {
        foreach (var replica in _replicas)
        {
            if (replica.Health == ReplicaHealth.Lagging)
            {
                return RoutingMetrics.Lag;
            }
        }

        return RoutingMetrics.Down;
    }

    public void RecordWrite(CausalMark mark)
    {
        lock (_floorGate)
        {
            _floor = _floor is null ? mark with { Own = false } : _floor.Merge(mark with { Own = false }, Protocol);
        }
    }

    public void MarkDown(Replica replica, Exception cause)
    {
        replica.MarkDown(Time.GetUtcNow());
        Diagnostics.Log.ReplicaDown(_logger, Name, replica.Index, replica.Config.Host ?? "localhost", cause.Message);
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        s_live.TryRemove(this, out _);
        if (_timer is { } timer)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var replica in _replicas)
        {
            await replica.Pool.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Checks every replica once now (health, lag, replayed position).</summary>
    public async Task CheckAllAsync(CancellationToken cancellationToken = default)
    {
        foreach (var replica in _replicas)
        {
            await CheckAsync(replica, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Checks happen only once reads use the replicas: nothing connects before first use.</summary>
    private void EnsureChecking()
    {
        if (Volatile.Read(ref _started) == 0 && Interlocked.Exchange(ref _started, 1) == 0 && !_disposed)
        {
            _timer = Time.CreateTimer(static state => ((ReplicaSet)state!).OnTimer(), this, CheckInterval, CheckInterval);
        }
    }

    private void OnTimer()
    {
        if (_disposed || Interlocked.Exchange(ref _checking, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await CheckAllAsync().ConfigureAwait(false);
            }
            finally
            {
                Volatile.Write(ref _checking, 0);
            }
        });
    }

    private async ValueTask CheckAsync(Replica replica, CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            return;
        }

        var wasDown = replica.Health == ReplicaHealth.Down;
        try
        {
            var physical = await replica.Pool.RentAsync(async: true, cancellationToken).ConfigureAwait(false);
            var lease = physical.Lease;
            try
            {
                await replica.CheckAsync(physical, MaxLag, Time.GetUtcNow(), async: true, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // The check's own connection is not trusted again: the replica may have gone away under it.
                physical.Break();
                throw;
            }
            finally
            {
                replica.Pool.Return(physical, lease);
            }

            if (wasDown && replica.Health != ReplicaHealth.Down)
            {
                Diagnostics.Log.ReplicaUp(_logger, Name, replica.Index, replica.Config.Host ?? "localhost");
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException && !_disposed && exception is not PoolTimeoutException)
        {
            if (!wasDown)
            {
                MarkDown(replica, exception);
            }
            else
            {
                replica.MarkDown(Time.GetUtcNow());
            }
        }
    }
}
