namespace Switchboard;

/// <summary>A snapshot of one pool's counters.</summary>
/// <param name="Size">Physical connections open or being opened now.</param>
/// <param name="Idle">Open connections waiting in the pool.</param>
/// <param name="InUse">Connections handed out now.</param>
/// <param name="Waiting">Callers waiting for a connection now.</param>
/// <param name="Opened">Physical connections opened since the pool was created.</param>
/// <param name="Closed">Physical connections closed since the pool was created.</param>
/// <param name="Timeouts">Checkouts that gave up with <see cref="PoolTimeoutException"/>.</param>
/// <param name="MaxSize">The pool's bound on physical connections (<c>pool_size</c>).</param>
public readonly record struct PoolStatistics(int Size, int Idle, int InUse, int Waiting, long Opened, long Closed, long Timeouts, int MaxSize);
