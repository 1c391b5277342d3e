namespace Switchboard.Tests.SyncOrAsync;

/// <summary>
/// A synchronization context, as a UI thread or classic ASP.NET has, that counts the continuations posted to it and
/// runs them on the thread pool (still under itself, so that a later capture is counted too).
/// </summary>
internal sealed class PostRecordingContext : SynchronizationContext
{
    private int _posts;

    public int Posts => Volatile.Read(ref _posts);

    public override void Post(SendOrPostCallback d, object? state)
    {
        Interlocked.Increment(ref _posts);
        ThreadPool.UnsafeQueueUserWorkItem(_ => Run(d, state), null);
    }

    public override void Send(SendOrPostCallback d, object? state)
    {
        Interlocked.Increment(ref _posts);
        Run(d, state);
    }

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Starts <paramref name="start"/> with this context current, then awaits it outside the context.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> start)
    {
        var previous = Current;
        Task<T> task;
        SetSynchronizationContext(this);
        try
        {
            task = start();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }

        return await task.ConfigureAwait(false);
    }

    private void Run(SendOrPostCallback d, object? state)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            d(state);
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }
}
