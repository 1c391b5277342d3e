namespace Switchboard;

/// <summary>The result of pinging one configured connection (<see cref="ConnectionRegistry.CheckHealth"/>).</summary>
/// <param name="Name">The connection's name.</param>
/// <param name="Status">Healthy, degraded (every connection busy, so not pinged) or unhealthy (the ping failed).</param>
/// <param name="Latency">How long taking a connection and pinging it took.</param>
/// <param name="Error">Why it is not healthy, without secrets; null when healthy.</param>
/// <param name="Statistics">The pool's counters after the check.</param>
public sealed record ConnectionHealth(string Name, HealthStatus Status, TimeSpan Latency, string? Error, PoolStatistics Statistics);
