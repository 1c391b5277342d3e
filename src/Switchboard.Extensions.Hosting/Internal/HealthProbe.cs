namespace Switchboard.Extensions.Hosting.Internal;

/// <summary>
/// Pings every connection of a registry once for all the entries that ask at about the same time: the health check
/// service runs one entry per connection concurrently, and each entry would otherwise ping every connection.
/// </summary>
internal sealed class HealthProbe(ConnectionRegistry registry, TimeSpan timeout)
{
    private readonly Lock _gate = new();
    private Task<IReadOnlyList<ConnectionHealth>>? _inFlight;

    public ConnectionRegistry Registry => registry;

    /// <summary>The health of one connection, from the round in flight or a new one; null when the name is not configured.</summary>
    public async Task<ConnectionHealth?> CheckAsync(string name, CancellationToken cancellationToken)
    {
        Task<IReadOnlyList<ConnectionHealth>> round;
        lock (_gate)
        {
            // A finished round is never handed out again: a round can finish before it is even stored here (every
            // ping completing synchronously), so "clear it when done" would keep its results for good.
            if (_inFlight is not { IsCompleted: false })
            {
                _inFlight = RunRoundAsync();
            }

            round = _inFlight;
        }

        var results = await round.WaitAsync(cancellationToken).ConfigureAwait(false);
        return results.FirstOrDefault(r => r.Name == name);
    }

    private async Task<IReadOnlyList<ConnectionHealth>> RunRoundAsync()
    {
        // The round belongs to no single caller, so it carries its own deadline rather than a caller's token.
        using var deadline = new CancellationTokenSource(timeout, registry.TimeProvider);
        return await registry.CheckHealthAsync(deadline.Token).ConfigureAwait(false);
    }
}
