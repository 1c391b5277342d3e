using Microsoft.Extensions.Logging;
using Switchboard.Diagnostics;

namespace Switchboard.Pooling;

/// <summary>
/// Everything one pool tells the outside world: its events (the registry's hub and the process-wide one), its metrics
/// (tagged with the pool's name and its registry's id, so that two registries' pools of the same name stay apart) and
/// its logs (scrubbed of the password). One per pool, as Npgsql's <c>MetricsReporter</c> is one per data source.
/// </summary>
internal sealed class PoolTelemetry
{
    private readonly ConnectionEventHub _events;
    private readonly ILogger _logger;
    private readonly SecretScrubber? _secrets;
    private readonly string _driver;

    public PoolTelemetry(string name, int registryId, string driver, ConnectionEventHub events, ILogger logger, SecretScrubber? secrets)
    {
        Name = name;
        _driver = driver;
        _events = events;
        _logger = logger;
        _secrets = secrets;
        object registry = registryId;
        Tags = [new(SwitchboardDiagnostics.PoolNameTag, name), new(SwitchboardDiagnostics.RegistryIdTag, registry)];
        IdleTags = [.. Tags, new(SwitchboardDiagnostics.StateTag, "idle")];
        UsedTags = [.. Tags, new(SwitchboardDiagnostics.StateTag, "used")];
    }

    public string Name { get; }

    /// <summary>The tags of every instrument of this pool: its name and its registry's id.</summary>
    public KeyValuePair<string, object?>[] Tags { get; }

    /// <summary><see cref="Tags"/> with the idle state, for the connection count.</summary>
    public KeyValuePair<string, object?>[] IdleTags { get; }

    /// <summary><see cref="Tags"/> with the used state, for the connection count.</summary>
    public KeyValuePair<string, object?>[] UsedTags { get; }

    /// <summary>Whether a checkout must time its wait (someone listens to the wait-time histogram).</summary>
    public static bool TimesWaits => PoolMetrics.WaitTime.Enabled;

    /// <summary>Whether a checkout must time its lease (someone listens to the use-time histogram).</summary>
    public static bool TimesUse => PoolMetrics.UseTime.Enabled;

    /// <summary>Whether a connect must be timed (someone listens to the create-time histogram).</summary>
    public static bool TimesConnects => PoolMetrics.CreateTime.Enabled;

    public bool HasHandlers(ConnectionEventKind kind) => _events.HasHandlers(kind) || ConnectionEventHub.Global.HasHandlers(kind);

    /// <summary>A physical connection opened, <paramref name="elapsed"/> after the connect began (null when untimed).</summary>
    public void Connected(PooledConnection connection, TimeSpan? elapsed)
    {
        if (elapsed is { } took)
        {
            PoolMetrics.CreateTime.Record(took.TotalSeconds, Tags);
        }

        Raise(ConnectionEventKind.Connect, connection, null);
    }

    /// <summary>A connection was handed out, after waiting <paramref name="waited"/> (null when untimed).</summary>
    public void CheckedOut(PooledConnection connection, TimeSpan? waited)
    {
        if (waited is { } wait)
        {
            PoolMetrics.WaitTime.Record(wait.TotalSeconds, Tags);
        }

        Raise(ConnectionEventKind.Checkout, connection, null);
    }

    public void CheckedIn(PooledConnection connection) => Raise(ConnectionEventKind.Checkin, connection, null);

    /// <summary>A lease ended: its leak timer stops, a reported leak is said to be back, and its use time is recorded.</summary>
    public void LeaseEnded(PooledConnection connection, PooledConnection.EndedLease ended, TimeSpan held)
    {
        if (ended.LeakTimer is { } timer)
        {
            timer.Dispose();
            if (ended.LeakReported)
            {
                Log.LeakedConnectionReturned(_logger, connection.Id, Name, held.TotalSeconds);
            }
        }

        if (ended.LeasedAt != 0 && PoolMetrics.UseTime.Enabled)
        {
            PoolMetrics.UseTime.Record(held.TotalSeconds, Tags);
        }
    }

    public void LeakSuspected(PooledConnection connection, TimeSpan held, string stack) =>
        Log.ConnectionLeak(_logger, connection.Id, Name, held.TotalSeconds, Environment.NewLine, stack);

    /// <summary>A physical connection was closed.</summary>
    public void Closed(PooledConnection connection, ConnectionCloseReason reason)
    {
        Log.ConnectionClosed(_logger, connection.Id, Name, reason);
        Raise(ConnectionEventKind.Disconnect, connection, reason);
    }

    /// <summary>A connection was found dead and is being discarded.</summary>
    public void Invalidated(PooledConnection connection, ConnectionCloseReason reason) => Raise(ConnectionEventKind.Invalidate, connection, reason);

    /// <summary>The driver reported a connection lost: it and <paramref name="older"/> older idle connections are discarded.</summary>
    public void Lost(PooledConnection connection, int older)
    {
        Log.Invalidated(_logger, connection.Id, Name, older);
        Invalidated(connection, ConnectionCloseReason.Disconnected);
    }

    public void CloseFailed(PooledConnection connection, Exception exception) => Log.CloseFailed(_logger, Scrub(exception), connection.Id, Name);

    public void ResetFailed(PooledConnection connection, Exception exception) => Log.ResetFailed(_logger, Scrub(exception), connection.Id, Name);

    public void DoubleReturn(PooledConnection connection) => Log.DoubleReturn(_logger, connection.Id, Name);

    public void FillFailed(Exception exception) => Log.FillFailed(_logger, exception, Name);

    public void ForcedClose(int inUse) => Log.ForcedClose(_logger, Name, inUse);

    /// <summary>A checkout gave up after <c>pool_timeout</c>.</summary>
    public void TimedOut() => PoolMetrics.Timeouts.Add(1, Tags);

    /// <summary>The pool was evicted from its fleet.</summary>
    public void Evicted() => PoolMetrics.Evictions.Add(1, Tags);

    private Exception Scrub(Exception exception) => _secrets?.Scrub(exception) ?? exception;

    private void Raise(ConnectionEventKind kind, PooledConnection connection, ConnectionCloseReason? reason)
    {
        var local = _events.HasHandlers(kind);
        var global = ConnectionEventHub.Global.HasHandlers(kind);
        if (!local && !global)
        {
            return;
        }

        var args = reason is { } why
            ? new ConnectionEventArgs(kind, connection.Id, Name, _driver, why)
            : new ConnectionEventArgs(kind, connection.Id, Name, _driver, reason: null);
        if (local)
        {
            _events.Raise(args, OnHandlerError);
        }

        if (global)
        {
            ConnectionEventHub.Global.Raise(args, OnHandlerError);
        }
    }

    private void OnHandlerError(Exception exception, ConnectionEventArgs args) => Log.EventHandlerFailed(_logger, Scrub(exception), args.Kind, args.Id, Name);
}
