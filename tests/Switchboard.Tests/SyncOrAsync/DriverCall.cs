namespace Switchboard.Tests.SyncOrAsync;

/// <summary>One driver call: its name and whether it was the async form.</summary>
internal readonly record struct DriverCall(string Operation, bool Async)
{
    public override string ToString() => (Async ? "async " : "sync ") + Operation;
}
