using System.Data.Common;
using System.Diagnostics;
using Switchboard.Pooling;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Pooling;

/// <summary>
/// Issue 9.2 and 9.4: <c>command_timeout</c> holds whatever the server does. The fake driver hangs statements as a
/// stopped server does; the clock is real (a deadline is about wall time), with generous bounds for a busy machine.
/// </summary>
[Collection(nameof(WallClockCollection))]
public class StatementDeadlineTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMilliseconds(400);

    /// <summary>Switchboard's documented margin (the cancel's grace) plus slack for a shared, busy test machine.</summary>
    private static readonly TimeSpan Bound = CommandTimeout + StatementDeadline.CancelGrace + TimeSpan.FromSeconds(2);

    private static Connection Configure(TestDatabase db, FakeDriver driver, int poolSize = 2, double poolTimeout = 10)
    {
        db.Registry.RegisterDriver(driver);
        return db.Registry.Configure("deadlines", new Dictionary<string, object?>
        {
            ["driver"] = driver.Name,
            ["database"] = "fake",
            ["pool_size"] = poolSize,
            ["pool_timeout"] = poolTimeout,
            ["command_timeout"] = CommandTimeout.TotalSeconds,
        });
    }

    private static async Task<(Exception Error, TimeSpan Elapsed)> TimeFailure(Connection connection, string sql, bool async)
    {
        var watch = Stopwatch.StartNew();
        var run = async
            ? connection.ExecuteAsync(sql)
            : Task.Factory.StartNew(() => connection.Execute(sql), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        // The test itself never hangs: a statement still running well past the bound is a failure.
        var finished = await Task.WhenAny(run, Task.Delay(Bound + TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
        Assert.True(finished == run, $"The statement was still running {watch.Elapsed.TotalSeconds:0.0} s after it started (command_timeout {CommandTimeout.TotalSeconds} s).");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => run);
        return (error, watch.Elapsed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AStatementOnAHungServer_IsCancelledAtCommandTimeout_AndFailsWithCommandTimeoutException(bool async)
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver { HangsOn = sql => sql.Contains("hang", StringComparison.Ordinal), IgnoresTokens = true };
        var connection = Configure(db, driver);
        connection.Execute("CREATE TABLE t (id INTEGER)");

        var (error, elapsed) = await TimeFailure(connection, "SELECT 'hang'", async);

        var timeout = Assert.IsType<CommandTimeoutException>(error);
        Assert.True(timeout.IsTransient);
        Assert.Equal("deadlines", timeout.ConnectionName);
        Assert.Equal(CommandTimeout, timeout.Timeout);
        Assert.Contains("command_timeout", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("'deadlines'", timeout.Message, StringComparison.Ordinal);
        Assert.InRange(elapsed, CommandTimeout, Bound);
        Assert.Equal(1, driver.Cancels);

        // The cancelled connection is never pooled again; the next statement runs on a new one.
        Assert.Equal(0, connection.Statistics.Size);
        Assert.Equal(1, connection.Scalar<long>("SELECT 1"));
    }

    /// <summary>
    /// The timer is armed lazily: statements that end before their deadline leave it scheduled for the earliest one. A hang
    /// after a run of quick statements on the same connection must still be cancelled at its own deadline, not an earlier
    /// statement's (too soon) and not a later re-arm's (too late).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AHangAfterARunOfQuickStatements_IsCancelledAtItsOwnDeadline(bool async)
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver { HangsOn = sql => sql.Contains("hang", StringComparison.Ordinal), IgnoresTokens = true };
        var connection = Configure(db, driver, poolSize: 1);
        var quick = Stopwatch.StartNew();
        while (quick.Elapsed < CommandTimeout * 0.75)
        {
            Assert.Equal(1, async ? await connection.ScalarAsync<long>("SELECT 1", cancellationToken: TestContext.Current.CancellationToken) : connection.Scalar<long>("SELECT 1"));
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        var (error, elapsed) = await TimeFailure(connection, "SELECT 'hang'", async);

        Assert.IsType<CommandTimeoutException>(error);
        Assert.InRange(elapsed, CommandTimeout, Bound);
        Assert.Equal(1, driver.Cancels);
        Assert.Equal(1, connection.Scalar<long>("SELECT 1"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ACancelThatNeverReturns_TheConnectionIsClosedAndDiscarded_AndTheCallerHearsWithinTheMargin(bool async)
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver { HangsOn = sql => sql.Contains("hang", StringComparison.Ordinal), IgnoresTokens = true, CancelHangs = true };
        var connection = Configure(db, driver);
        try
        {
            var (error, elapsed) = await TimeFailure(connection, "SELECT 'hang'", async);

            var timeout = Assert.IsType<CommandTimeoutException>(error);
            Assert.Contains("closed", timeout.Message, StringComparison.Ordinal);
            Assert.InRange(elapsed, CommandTimeout + StatementDeadline.CancelGrace, Bound);

            // The close runs on a thread of its own (an async caller does not wait for it): it ends the driver's call.
            await WaitFor(() => driver.Hanging == 0);
            Assert.Equal(new PoolStatistics(0, 0, 0, 0, 1, 1, 0, 2), connection.Statistics);
            Assert.Equal(1, connection.Scalar<long>("SELECT 1"));
        }
        finally
        {
            driver.ReleaseCancels();
        }
    }

    /// <summary>
    /// The cancel goes through the data source, which may find that it cannot get through (a stopped PostgreSQL postmaster)
    /// and send none; the statement is then ended by the data source's abort at the end of the grace, off the caller's thread.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ACancelTheDataSourceDoesNotSend_TheConnectionIsAbortedAtTheEndOfTheGrace(bool async)
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver { HangsOn = sql => sql.Contains("hang", StringComparison.Ordinal), IgnoresTokens = true, SourceSkipsCancels = true };
        var connection = Configure(db, driver);

        var (error, elapsed) = await TimeFailure(connection, "SELECT 'hang'", async);

        var timeout = Assert.IsType<CommandTimeoutException>(error);
        Assert.Contains("closed and discarded", timeout.Message, StringComparison.Ordinal);
        Assert.InRange(elapsed, CommandTimeout + StatementDeadline.CancelGrace, Bound);
        Assert.Equal(1, driver.SourceCancels);
        Assert.Equal(0, driver.Cancels);
        await WaitFor(() => driver.Aborts == 1 && driver.Hanging == 0);
        Assert.Equal(1, connection.Scalar<long>("SELECT 1"));
    }

    /// <summary>The driver's own timeout on a statement is what the data source asks for, not <c>command_timeout</c> as such.</summary>
    [Fact]
    public void TheDriversOwnTimeout_IsTheDataSources()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver { DriverTimeout = timeout => (int)Math.Ceiling(timeout.TotalSeconds) + 7 };
        var connection = Configure(db, driver);

        Assert.Equal(1, connection.Scalar<long>("SELECT 1"));

        Assert.Equal(8, driver.LastCommandTimeout);
    }

    [Fact]
    public async Task ADriverThatNeverReturns_StillReleasesTheAsyncCaller_AndFreesTheSlot()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver { HangsOn = sql => sql.Contains("hang", StringComparison.Ordinal), IgnoresTokens = true, IgnoresClose = true, CancelHangs = true };
        var connection = Configure(db, driver, poolSize: 1);
        try
        {
            var (error, elapsed) = await TimeFailure(connection, "SELECT 'hang'", async: true);

            Assert.IsType<CommandTimeoutException>(error);
            Assert.InRange(elapsed, CommandTimeout + StatementDeadline.CancelGrace, Bound);
            Assert.Equal(1, driver.Hanging);

            // The slot came free although the driver still holds its call: a pool of one serves the next statement.
            Assert.Equal(1, await connection.ScalarAsync<long>("SELECT 1", cancellationToken: TestContext.Current.CancellationToken));
        }
        finally
        {
            driver.ReleaseCancels();
        }
    }

    [Fact]
    public async Task AWaiter_IsNotBlockedBehindACancelInProgress()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver { HangsOn = sql => sql.Contains("hang", StringComparison.Ordinal), IgnoresTokens = true, CancelHangs = true };
        var connection = Configure(db, driver, poolSize: 1, poolTimeout: 30);
        try
        {
            var hung = connection.ExecuteAsync("SELECT 'hang'");
            while (driver.Hanging == 0)
            {
                await Task.Delay(10, TestContext.Current.CancellationToken);
            }

            var watch = Stopwatch.StartNew();
            var waiter = connection.ScalarAsync<long>("SELECT 1");
            var finished = await Task.WhenAny(waiter, Task.Delay(Bound + TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));

            Assert.True(finished == waiter, "The waiter was still waiting behind the hung cancel.");
            Assert.Equal(1, await waiter);
            Assert.InRange(watch.Elapsed, TimeSpan.Zero, Bound);
            await Assert.ThrowsAsync<CommandTimeoutException>(() => hung);
        }
        finally
        {
            driver.ReleaseCancels();
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ADriverReadTimeout_IsReportedAsACommandTimeout_NotAsALostConnection(bool async)
    {
        // Npgsql's own read timeout: it breaks the connection and throws "Exception while reading from stream" around a TimeoutException.
        using var db = new TestDatabase();
        var driver = new FakeDriver
        {
            FailsWith = sql => sql.Contains("slow", StringComparison.Ordinal) ? new FakeReadException("Exception while reading from stream", new TimeoutException("Timeout during reading attempt")) : null,
        };
        var connection = Configure(db, driver);
        var opened = connection.Scalar<long>("SELECT 1");

        var error = async
            ? await Assert.ThrowsAnyAsync<SwitchboardException>(() => connection.ExecuteAsync("SELECT 'slow'"))
            : Assert.ThrowsAny<SwitchboardException>(() => connection.Execute("SELECT 'slow'"));

        var timeout = Assert.IsType<CommandTimeoutException>(error);
        Assert.True(timeout.IsTransient);
        Assert.Contains("command_timeout", timeout.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("lost", timeout.Message, StringComparison.Ordinal);
        Assert.IsType<TimeoutException>(timeout.InnerException?.InnerException);
        Assert.Equal(0, connection.Statistics.Size);
        Assert.Equal(opened, connection.Scalar<long>("SELECT 1"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AStatementThatFinishesNormallyAfterItsCancel_IsStillReportedAsTimedOut(bool async)
    {
        // MySQL's SLEEP() interrupted by KILL QUERY returns 1 instead of failing: a result that arrives after the cancel
        // went out may be the cancel's doing, so it is never reported as the statement's success.
        using var db = new TestDatabase();
        var driver = new FakeDriver { HangsOn = sql => sql.Contains("hang", StringComparison.Ordinal), IgnoresTokens = true, CancelLetsItFinish = true };
        var connection = Configure(db, driver);

        var (error, elapsed) = await TimeFailure(connection, "SELECT 'hang'", async);

        var timeout = Assert.IsType<CommandTimeoutException>(error);
        Assert.Contains("unknown", timeout.Message, StringComparison.Ordinal);
        Assert.InRange(elapsed, CommandTimeout, Bound);
        Assert.Equal(0, connection.Statistics.Size);
    }

    [Fact]
    public async Task AStatementThatFinishesInTime_KeepsItsConnection_AndNothingIsCancelled()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        var connection = Configure(db, driver);

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(i, await connection.ScalarAsync<long>("SELECT @i", new { i }, TestContext.Current.CancellationToken));
            Assert.Equal(i, connection.Scalar<long>("SELECT @i", new { i }));
        }

        await Task.Delay(CommandTimeout + StatementDeadline.CancelGrace + TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        Assert.Equal(0, driver.Cancels);
        Assert.Equal(1, connection.Statistics.Opened);
        Assert.Equal(1, connection.Scalar<long>("SELECT 1"));
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "The condition did not come true within 10 s.");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    private sealed class FakeReadException(string message, Exception inner) : DbException(message, inner);
}
