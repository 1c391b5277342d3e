using Switchboard.Tests.Support;

namespace Switchboard.Tests.SyncOrAsync;

/// <summary>
/// The base of the tests that run one public operation in both its forms with the same assertions (a theory over
/// <see cref="SyncOrAsync"/>, see <see cref="SyncOrAsyncDataAttribute"/>). Each test gets a registry of its own over
/// SQLite files, <c>primary</c> and <c>secondary</c> with a <c>users</c> table, activated for models in the test's flow.
/// </summary>
/// <remarks>
/// Every call made through <see cref="Run{T}"/> or <see cref="Throws{TException}"/> is also checked for how it reached the
/// driver: a sync form that waited on the driver's async API (sync over async, which starves the thread pool), or an
/// async form that blocked in the driver's sync API, fails the test. An async form is called under a synchronization
/// context that records posts, so a continuation that forgot <c>ConfigureAwait(false)</c> fails it too.
/// </remarks>
public abstract class SyncOrAsyncTestBase : IDisposable
{
    private protected SyncOrAsyncTestBase()
    {
        Db = new TestDatabase();
        Driver = new ModeRecordingDriver();
        Db.Registry.RegisterDriver(Driver);
        Primary = Configure("primary");
        Secondary = Configure("secondary");
        Primary.Execute(Schema.Users);
        Secondary.Execute(Schema.Users);
    }

    protected TestDatabase Db { get; }

    protected ConnectionRegistry Registry => Db.Registry;

    protected Connection Primary { get; }

    protected Connection Secondary { get; }

    private protected ModeRecordingDriver Driver { get; }

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Configures a connection of the recording driver on a SQLite file named after it.</summary>
    protected Connection Configure(string name, int poolSize = 5, bool replace = false) =>
        Registry.Configure(name, new Dictionary<string, object?>
        {
            ["driver"] = ModeRecordingDriver.DriverName,
            ["database"] = Db.File(name + ".db"),
            ["pool_size"] = poolSize,
            ["pool_timeout"] = 5,
        }, replace);

    /// <summary>Calls the operation's <paramref name="sync"/> or <paramref name="async"/> form, as <paramref name="mode"/> says.</summary>
    protected async Task<T> Run<T>(SyncOrAsync mode, Func<T> sync, Func<CancellationToken, Task<T>> async)
    {
        var mark = Driver.Calls.Count;
        T result;
        if (mode == SyncOrAsync.Sync)
        {
            result = sync();
        }
        else
        {
            var context = new PostRecordingContext();
            result = await context.RunAsync(() => async(Cancel));
            Assert.True(context.Posts == 0, $"The async form posted {context.Posts} continuation(s) to the caller's synchronization context (a missing ConfigureAwait(false)).");
        }

        AssertDriverCallsMatch(mode, mark);
        return result;
    }

    /// <inheritdoc cref="Run{T}"/>
    protected Task Run(SyncOrAsync mode, Action sync, Func<CancellationToken, Task> async) =>
        Run(mode, () => { sync(); return true; }, async ct => { await async(ct).ConfigureAwait(false); return true; });

    /// <summary>Calls the operation in the given form and returns the exception it threw, which must be exactly <typeparamref name="TException"/>.</summary>
    protected async Task<TException> Throws<TException>(SyncOrAsync mode, Action sync, Func<CancellationToken, Task> async)
        where TException : Exception
    {
        var mark = Driver.Calls.Count;
        TException error;
        if (mode == SyncOrAsync.Sync)
        {
            error = Assert.Throws<TException>(sync);
        }
        else
        {
            var context = new PostRecordingContext();
            error = await Assert.ThrowsAsync<TException>(() => context.RunAsync(async () => { await async(Cancel).ConfigureAwait(false); return true; }));
        }

        AssertDriverCallsMatch(mode, mark);
        return error;
    }

    /// <summary>The driver calls since <paramref name="mark"/> were all of the form <paramref name="mode"/> names.</summary>
    private protected void AssertDriverCallsMatch(SyncOrAsync mode, int mark)
    {
        var calls = Driver.Calls.Skip(mark).ToList();
        var wrong = calls.Where(c => c.Async != (mode == SyncOrAsync.Async) && !IsDesignedSyncOverAsync(mode, c)).ToList();
        Assert.True(wrong.Count == 0, $"The {mode} form made driver calls of the other form: {string.Join(", ", wrong)} (all calls: {string.Join(", ", calls)}).");
    }

    /// <summary>
    /// The pool opens and pre-pings a connection with the driver's async API for a sync caller too, so that the caller
    /// stops waiting at <c>pool_timeout</c> while a hanging connect or ping goes on in the background (a sync driver call
    /// could not be left: Npgsql's sync ping outlives the close of its connection while the postmaster is stopped).
    /// </summary>
    private static bool IsDesignedSyncOverAsync(SyncOrAsync mode, DriverCall call) =>
        mode == SyncOrAsync.Sync && call is { Operation: "Open" or "Ping", Async: true };

    /// <summary>How many rows the users table of <paramref name="connection"/> holds, read on the side.</summary>
    protected static long Users(Connection connection) => connection.Scalar<long>("SELECT COUNT(*) FROM users");

    public void Dispose()
    {
        Db.Dispose();
        GC.SuppressFinalize(this);
    }
}
