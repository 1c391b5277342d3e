using System.Diagnostics;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Connections;

/// <summary>
/// Issue 9, left over: BEGIN, COMMIT and ROLLBACK are under <c>command_timeout</c> too. A driver call that begins or ends a
/// transaction has no command to cancel, so at the deadline its connection is closed and discarded; the caller hears
/// within <c>command_timeout</c> plus scheduling (no cancel grace). The clock is real (a deadline is about wall time),
/// with a generous bound for a busy machine.
/// </summary>
[Collection(nameof(WallClockCollection))]
public class TransactionDeadlineTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMilliseconds(400);

    /// <summary>The documented margin is scheduling only; the slack is for a shared, busy test machine.</summary>
    private static readonly TimeSpan Bound = CommandTimeout + TimeSpan.FromSeconds(2);

    private static (Connection Connection, TransactionHangDriver Driver) Configure(TestDatabase db)
    {
        var driver = new TransactionHangDriver("hang-" + Guid.NewGuid().ToString("N")[..6]);
        db.Registry.RegisterDriver(driver);
        var connection = db.Registry.Configure("txdeadline", new Dictionary<string, object?>
        {
            ["driver"] = driver.Name,
            ["database"] = "fake",
            ["command_timeout"] = CommandTimeout.TotalSeconds,
        });
        connection.Execute("CREATE TABLE t (id INTEGER)");
        return (connection, driver);
    }

    private static async Task<(Exception Error, TimeSpan Elapsed)> TimeFailure(Func<Task> work, bool async)
    {
        var watch = Stopwatch.StartNew();
        var run = async ? work() : Task.Factory.StartNew(() => work().GetAwaiter().GetResult(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        // The test itself never hangs: a call still running well past the bound is a failure.
        var finished = await Task.WhenAny(run, Task.Delay(Bound + TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
        Assert.True(finished == run, $"The transaction call was still running {watch.Elapsed.TotalSeconds:0.0} s after it started (command_timeout {CommandTimeout.TotalSeconds} s).");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => run);
        return (error, watch.Elapsed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ABeginThatHangs_FailsAtCommandTimeout_WithCommandTimeoutException_AndTheConnectionIsDiscarded(bool async)
    {
        using var db = new TestDatabase();
        var (connection, driver) = Configure(db);
        driver.HangsAt = what => what == "BEGIN";

        var (error, elapsed) = await TimeFailure(
            async
                ? () => connection.TransactionAsync(() => connection.ExecuteAsync("INSERT INTO t VALUES (1)"))
                : () => { connection.Transaction(() => connection.Execute("INSERT INTO t VALUES (1)")); return Task.CompletedTask; },
            async);

        var timeout = Assert.IsType<CommandTimeoutException>(error);
        Assert.Equal(StatementErrorKind.Timeout, timeout.Kind);
        Assert.Contains("command_timeout", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("BEGIN", timeout.Message, StringComparison.Ordinal);
        Assert.InRange(elapsed, CommandTimeout, Bound);

        driver.HangsAt = _ => false;
        Assert.Equal(0, connection.Statistics.Size);
        Assert.Equal(0, connection.Scalar<long>("SELECT COUNT(*) FROM t"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ACommitThatHangs_FailsAtCommandTimeout_AsOfUnknownOutcome_NotTransient(bool async)
    {
        using var db = new TestDatabase();
        var (connection, driver) = Configure(db);
        driver.HangsAt = what => what == "COMMIT";

        var (error, elapsed) = await TimeFailure(
            async
                ? () => connection.TransactionAsync(() => connection.ExecuteAsync("INSERT INTO t VALUES (1)"))
                : () => { connection.Transaction(() => connection.Execute("INSERT INTO t VALUES (1)")); return Task.CompletedTask; },
            async);

        var failure = Assert.IsType<TransactionException>(error);
        Assert.False(failure.IsTransient);
        Assert.Contains("command_timeout", failure.Message, StringComparison.Ordinal);
        Assert.Contains("unknown", failure.Message, StringComparison.Ordinal);
        Assert.InRange(elapsed, CommandTimeout, Bound);

        driver.HangsAt = _ => false;
        Assert.Equal(0, connection.Statistics.Size);
        Assert.Equal(1, connection.Scalar<long>("SELECT 1"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ARollbackThatHangs_EndsAtCommandTimeout_AndTheConnectionIsDiscarded(bool async)
    {
        using var db = new TestDatabase();
        var (connection, driver) = Configure(db);
        driver.HangsAt = what => what == "ROLLBACK";

        var (error, elapsed) = await TimeFailure(
            async
                ? async () =>
                {
                    var transaction = connection.BeginTransaction();
                    await transaction.ExecuteAsync("INSERT INTO t VALUES (1)");
                    await transaction.RollbackAsync();
                }
                : () =>
                {
                    var transaction = connection.BeginTransaction();
                    transaction.Execute("INSERT INTO t VALUES (1)");
                    transaction.Rollback();
                    return Task.CompletedTask;
                },
            async);

        var failure = Assert.IsType<TransactionException>(error);
        Assert.IsType<CommandTimeoutException>(failure.InnerException);
        Assert.Contains("command_timeout", failure.Message, StringComparison.Ordinal);
        Assert.InRange(elapsed, CommandTimeout, Bound);

        driver.HangsAt = _ => false;
        Assert.Equal(0, connection.Statistics.Size);
        Assert.Equal(0, connection.Scalar<long>("SELECT COUNT(*) FROM t"));
    }
}
