namespace Switchboard.Pooling;

/// <summary>The text of each <see cref="ConnectionCloseReason"/> in events and their <c>ToString</c>, as they read before the enum existed.</summary>
internal static class CloseReasons
{
    public static string Describe(ConnectionCloseReason reason) => reason switch
    {
        ConnectionCloseReason.Recycled => "recycled",
        ConnectionCloseReason.Idle => "idle",
        ConnectionCloseReason.Disposed => "disposed",
        ConnectionCloseReason.ForcedDispose => "disposed (forced)",
        ConnectionCloseReason.Broken => "broken",
        ConnectionCloseReason.Disconnected => "disconnected",
        ConnectionCloseReason.Invalidated => "invalidated",
        ConnectionCloseReason.FailedPrePing => "failed pre-ping",
        ConnectionCloseReason.CancelledPrePing => "cancelled pre-ping",
        ConnectionCloseReason.CommandTimeout => "command timeout",
        ConnectionCloseReason.Replaced => "replaced",
        ConnectionCloseReason.Evicted => "evicted",
        ConnectionCloseReason.HostCap => "host cap",
        _ => reason.ToString(),
    };
}
