using System.Diagnostics;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Providers;

/// <summary>
/// SQLite runs a statement on the caller's thread and Microsoft.Data.Sqlite checks no token while it steps, so a long
/// statement ignored cancellation and command_timeout. These statements would run for minutes; each must stop early.
/// </summary>
public class SqliteInterruptTests
{
    // Counts to a billion: minutes of work in one step, with no row returned before the end.
    private const string Endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT COUNT(*) FROM c";

    // Far below the minutes the statement needs, far above any scheduling delay on a busy machine.
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task LongStatement_WithCancelledToken_StopsWithOperationCanceled_AndTheConnectionStaysPooled()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary", poolSize: 1);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connection.ScalarAsync<long>(Endless, cancellationToken: cancel.Token));

        Assert.True(watch.Elapsed < Generous, $"took {watch.Elapsed}");
        Assert.Equal(2L, await connection.ScalarAsync<long>("SELECT 1 + 1", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(1, connection.Statistics.Opened);
    }

    [Fact]
    public async Task LongStatement_ReadThroughExecuteRawAsync_StopsWhenCancelled()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary", poolSize: 1);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connection.ExecuteRawAsync(Endless, cancellationToken: cancel.Token));

        Assert.True(watch.Elapsed < Generous, $"took {watch.Elapsed}");
        Assert.Equal(3L, connection.Scalar<long>("SELECT 1 + 2"));
    }

    [Fact]
    public void LongStatement_Sync_PastCommandTimeout_FailsWithATimeoutError_AndTheConnectionStaysUsable()
    {
        using var db = new TestDatabase();
        var connection = db.Registry.Configure("primary", new Dictionary<string, object?>
        {
            ["driver"] = "sqlite", ["database"] = db.File("t.db"), ["pool_size"] = 1, ["command_timeout"] = 1,
        });
        var watch = Stopwatch.StartNew();

        var error = Assert.Throws<CommandTimeoutException>(() => connection.Scalar<long>(Endless));

        Assert.True(watch.Elapsed < Generous, $"took {watch.Elapsed}");
        Assert.Contains("command_timeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("'primary'", error.Message, StringComparison.Ordinal);
        Assert.Equal(4L, connection.Scalar<long>("SELECT 2 + 2"));

        // A timed-out connection is replaced, never reused: a late interrupt must not reach the next statement.
        Assert.Equal(2, connection.Statistics.Opened);
    }

    [Fact]
    public async Task LongStatement_Async_PastCommandTimeout_FailsWithATimeoutError()
    {
        using var db = new TestDatabase();
        var connection = db.Registry.Configure("primary", new Dictionary<string, object?>
        {
            ["driver"] = "sqlite", ["database"] = db.File("t.db"), ["pool_size"] = 1, ["command_timeout"] = 1,
        });

        var error = await Assert.ThrowsAsync<CommandTimeoutException>(() => connection.ExecuteAsync($"CREATE TABLE t AS {Endless}", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("command_timeout", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await connection.ScalarAsync<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 't'", cancellationToken: TestContext.Current.CancellationToken));
    }
}
