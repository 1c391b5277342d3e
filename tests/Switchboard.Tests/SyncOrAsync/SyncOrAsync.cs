namespace Switchboard.Tests.SyncOrAsync;

/// <summary>Which of a public operation's two forms a test calls: <c>X(...)</c> or <c>XAsync(...)</c>.</summary>
public enum SyncOrAsync
{
    Sync,
    Async,
}
