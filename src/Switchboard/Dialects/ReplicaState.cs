namespace Switchboard.Dialects;

/// <summary>What a replica reports about itself: the position it has replayed up to, and how far behind the primary it is.</summary>
/// <param name="Position">The replayed position, or null when the server is not replaying (not a replica, or not yet started).</param>
/// <param name="Lag">How far behind it is, or null when it cannot tell.</param>
public readonly record struct ReplicaState(string? Position, TimeSpan? Lag);
