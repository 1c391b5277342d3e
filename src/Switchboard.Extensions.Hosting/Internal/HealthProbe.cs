namespace Switchboard.Extensions.Hosting.Internal;

/// <summary>
/// Pings the connections that have health entries, once for all the entries that ask at about the same time: the health
/// check service runs one entry per connection concurrently, and each entry would otherwise ping every connection. Only
/// those names are pinged, never the tenants a resolver configured since (a fleet may hold thousands, each a database
/// to open), and each concurrently with its own share of the deadline, so that one hung server fails its own entry only.
/// </summary>
internal sealed class HealthProbe(ConnectionRegistry registry, TimeSpan timeout, IReadOnlyCollection<string> names)
{
    private readonly Lock _gate = new();
    private Round? _inFlight;

    public ConnectionRegistry Registry => registry;

    /// <summary>
    /// The health of one connection, from the round in flight or a new one; null when the name is not configured. Waits
    /// for this connection's ping only, never for a slower one of the same round.
    /// </summary>
    public async Task<ConnectionHealth?> CheckAsync(string name, CancellationToken cancellationToken)
    {
        Round round;
        lock (_gate)
        {
            // A finished round is never handed out again: a round can finish before it is even stored here (every
            // ping completing synchronously), so "clear it when done" would keep its results for good.
            if (_inFlight is not { Finished.IsCompleted: false })
            {
                _inFlight = StartRound();
            }

            round = _inFlight;
        }

        return round.Checks.TryGetValue(name, out var check) ? await check.WaitAsync(cancellationToken).ConfigureAwait(false) : null;
    }

    private Round StartRound()
    {
        // The round belongs to no single caller, so it carries its own deadline rather than a caller's token. Each ping
        // runs on the thread pool: a driver may block in the synchronous part of an open (a DNS lookup, a connect), and
        // that must not hold back the others.
        var deadline = new CancellationTokenSource(timeout, registry.TimeProvider);
        var checks = names.ToDictionary(name => name, name => Task.Run(() => CheckOneAsync(name, deadline.Token)), StringComparer.Ordinal);
        var finished = Task.WhenAll(checks.Values);
        _ = finished.ContinueWith(_ => deadline.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return new Round(checks, finished);
    }

    private async Task<ConnectionHealth?> CheckOneAsync(string name, CancellationToken deadline)
    {
        Connection connection;
        try
        {
            connection = registry.GetConnection(name);
        }
        catch (SwitchboardException)
        {
            return null; // removed by a reload, or disposed
        }

        try
        {
            return await connection.CheckHealthAsync(deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return new ConnectionHealth(
                name,
                HealthStatus.Unhealthy,
                timeout,
                $"Connection '{name}' did not answer within the health check's timeout (SwitchboardHealthCheckOptions.Timeout).",
                connection.Statistics);
        }
    }

    /// <summary>One round: each connection's ping, and a task that completes when all have.</summary>
    private sealed record Round(IReadOnlyDictionary<string, Task<ConnectionHealth?>> Checks, Task Finished);
}
