namespace Switchboard;

/// <summary>
/// The default of every key common to all engines, in one place: <see cref="ConnectionConfig"/>'s initial values and the
/// dictionary form's "null means default" both read them. An engine's own keys state theirs where the engine declares
/// them (<see cref="Dialects.EngineOption{T}.Default"/>), and its port in <see cref="Dialects.DatabaseDriver.DefaultPort"/>.
/// </summary>
internal static class ConfigDefaults
{
    public const int PoolSize = 10;
    public const int MaxPoolSize = 10_000;
    public const int MinIdle = 0;
    public const bool Echo = false;
    public const int Weight = 1;
    public const PrePing PoolPrePing = Switchboard.PrePing.Idle;
    public const CheckoutOrder CheckoutOrder = Switchboard.CheckoutOrder.Lifo;
    public const NamingConvention Naming = Switchboard.NamingConvention.Auto;
    public static readonly TimeSpan PoolTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan PoolRecycle = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan PoolPrePingWindow = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan StickyWindow = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan MaxReplicaLag = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan ReplicaCheckInterval = TimeSpan.FromSeconds(2);
}
