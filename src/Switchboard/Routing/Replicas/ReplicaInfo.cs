namespace Switchboard;

/// <summary>One replica of a connection as routing sees it now (<see cref="Connection.Replicas"/>).</summary>
/// <param name="Index">Its position in the configuration's <c>replicas</c> list.</param>
/// <param name="Host">Its host.</param>
/// <param name="Port">Its port, or null for the engine's default.</param>
/// <param name="Weight">Its share of reads relative to the other replicas.</param>
/// <param name="Health">Whether it takes reads.</param>
/// <param name="Lag">How far behind the primary it was at the last check, or null when not known.</param>
/// <param name="LastChecked">When it was last checked, or null when never.</param>
/// <param name="Statistics">Its pool's counters.</param>
public sealed record ReplicaInfo(int Index, string? Host, int? Port, int Weight, ReplicaHealth Health, TimeSpan? Lag, DateTimeOffset? LastChecked, PoolStatistics Statistics);
