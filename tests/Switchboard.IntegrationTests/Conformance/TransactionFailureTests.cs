using Switchboard.IntegrationTests.Conformance.Models;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>
/// A transaction never reports success for work the server threw away: a failed or cancelled statement inside it, a
/// deadlock, a savepoint around a failure, and a session killed before BEGIN. Each engine's rule is asserted as such.
/// </summary>
public abstract partial class TransactionTests<TFixture>
    where TFixture : EngineFixture
{
    /// <summary>Whether any failed statement aborts the whole transaction on this engine (PostgreSQL); elsewhere only the statement is undone.</summary>
    private bool ErrorAbortsTransaction => Engine.Driver is "postgresql";

    /// <summary>A statement that runs for seconds unless cancelled, or null where none can be cancelled mid-way.</summary>
    private string? SleepSql => Engine.Driver switch
    {
        "postgresql" => "SELECT pg_sleep(5)",
        "mysql" or "mariadb" => "SELECT SLEEP(5)",
        "sqlserver" => "WAITFOR DELAY '00:00:05'",
        _ => null,
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Commit_AfterACaughtStatementFailure_NeverReportsSuccessForWorkTheServerDropped(bool async)
    {
        var transaction = Primary.BeginTransaction();
        await using (transaction)
        {
            await Insert("before", async);
            var failure = await Assert.ThrowsAnyAsync<SwitchboardException>(() => InsertNullName(async));
            var commit = await Record.ExceptionAsync(() => Complete(transaction, commit: true, async));

            if (ErrorAbortsTransaction)
            {
                var error = Assert.IsType<TransactionException>(commit);
                Assert.Same(failure, error.InnerException);
                Assert.Contains("rolled back", error.Message, StringComparison.Ordinal);
                Assert.Empty(Names());
            }
            else
            {
                Assert.Null(commit);
                Assert.Equal(["before"], Names());
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Commit_AfterACancelledStatement_ThrowsWithTheCancellationInside_AndStoresNothing(bool asyncCommit)
    {
        var transaction = Primary.BeginTransaction();
        await using (transaction)
        {
            await Insert("before", async: true);
            using var cancel = new CancellationTokenSource();
            var sql = SleepSql ?? "SELECT 1";
            if (SleepSql is null)
            {
                await cancel.CancelAsync();
            }
            else
            {
                cancel.CancelAfter(TimeSpan.FromMilliseconds(300));
            }

            var failure = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Primary.ExecuteAsync(sql, null, cancel.Token));
            var commit = await Record.ExceptionAsync(() => Complete(transaction, commit: true, asyncCommit));

            var error = Assert.IsType<TransactionException>(commit);
            Assert.Same(failure, error.InnerException);
            Assert.Empty(Names());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Savepoint_RolledBackAfterAFailedStatement_LeavesTheOuterTransactionHealthy(bool async)
    {
        var outer = Primary.BeginTransaction();
        await using (outer)
        {
            await Insert("outer", async);
            var inner = Primary.BeginTransaction();
            await using (inner)
            {
                await Insert("undone", async);
                await Assert.ThrowsAnyAsync<SwitchboardException>(() => InsertNullName(async));
                await Complete(inner, commit: false, async);
            }

            Assert.ThrowsAny<SwitchboardException>(() => Primary.Transaction(() => InsertNullName(async: false).GetAwaiter().GetResult()));
            await Insert("after", async);
            await Complete(outer, commit: true, async);
        }

        Assert.Equal(["after", "outer"], Names());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Savepoint_CommittedAfterAFailedStatement_PassesTheFailureOutward(bool async)
    {
        var outer = Primary.BeginTransaction();
        await using (outer)
        {
            await Insert("outer", async);
            Exception failure;
            Exception? innerCommit;
            var inner = Primary.BeginTransaction();
            await using (inner)
            {
                await Insert("inner", async);
                failure = await Assert.ThrowsAnyAsync<SwitchboardException>(() => InsertNullName(async));
                innerCommit = await Record.ExceptionAsync(() => Complete(inner, commit: true, async));
            }

            var outerCommit = await Record.ExceptionAsync(() => Complete(outer, commit: true, async));

            if (ErrorAbortsTransaction)
            {
                Assert.Same(failure, Assert.IsType<TransactionException>(innerCommit).InnerException);
                Assert.Same(failure, Assert.IsType<TransactionException>(outerCommit).InnerException);
                Assert.Empty(Names());
            }
            else
            {
                Assert.Null(innerCommit);
                Assert.Null(outerCommit);
                Assert.Equal(["inner", "outer"], Names());
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Commit_AfterALockWaitTimeout_KeepsTheEarlierWorkExactlyWhereTheEngineKeptIt(bool async)
    {
        if (Engine.ShortLockWaitSql is not { } shortLockWait)
        {
            Assert.Skip("Only server engines wait for row locks.");
            return;
        }

        var holder = Fixture.Another("holder");
        var waiter = Fixture.Another("waiter");
        var gadget = new Gadget { Name = "locked", Status = "lock" };
        gadget.Save();
        using var holding = holder.BeginTransaction();
        holder.Execute(UpdateRankById(), new { id = gadget.Id });

        var transaction = waiter.BeginTransaction();
        await using (transaction)
        {
            waiter.Execute(shortLockWait);
            waiter.Execute(InsertSql(), new { name = "before" });
            var failure = Assert.ThrowsAny<SwitchboardException>(() => waiter.Execute(UpdateRankById(), new { id = gadget.Id }));
            var commit = await Record.ExceptionAsync(() => Complete(transaction, commit: true, async));
            holding.Rollback();

            Assert.True(failure.IsTransient, failure.Message);
            if (ErrorAbortsTransaction)
            {
                Assert.Same(failure, Assert.IsType<TransactionException>(commit).InnerException);
                Assert.Equal(["locked"], Names());
            }
            else
            {
                // InnoDB undoes only the statement that timed out (innodb_rollback_on_timeout is off by default).
                Assert.Null(commit);
                Assert.Equal(["before", "locked"], Names());
            }
        }
    }

    [Fact]
    public async Task DeadlockVictim_ThatGoesOn_NeverCommitsAnythingOnItsOwn()
    {
        if (!Engine.IsServer)
        {
            Assert.Skip("Only server engines deadlock between sessions.");
        }

        var other = Fixture.Another("other");
        var first = new Gadget { Name = "first", Status = "deadlock" };
        var second = new Gadget { Name = "second", Status = "deadlock" };
        first.Save();
        second.Save();
        using var bothLocked = new Barrier(2);

        // Each flow locks one row, waits for the other, asks for the other's row, catches a deadlock and goes on.
        Task<TransactionException?> LockInOrder(Connection on, long lockFirst, long lockThen, string marker) => Task.Run(() =>
        {
            using var transaction = new Transaction(on);
            on.Execute(UpdateRankById(), new { id = lockFirst });
            bothLocked.SignalAndWait(TimeSpan.FromSeconds(10));
            Swallow(() => on.Execute(UpdateRankById(), new { id = lockThen }));
            Swallow(() => on.Execute(InsertSql(), new { name = marker }));
            try
            {
                transaction.Commit();
                return null;
            }
            catch (TransactionException exception)
            {
                return exception;
            }
        });

        var outcomes = await Task.WhenAll(LockInOrder(Primary, first.Id, second.Id, "marker 1"), LockInOrder(other, second.Id, first.Id, "marker 2"));

        var victim = Assert.Single(outcomes, o => o is not null)!;
        var winner = Array.FindIndex(outcomes, o => o is null) + 1;
        Assert.True(victim.IsTransient, victim.Message);
        Assert.Contains("deadlock", victim.InnerException?.InnerException?.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["first", "marker " + winner, "second"], Names());
    }

    [Theory]
    [InlineData(PrePing.Always)]
    [InlineData(PrePing.Idle)]
    [InlineData(PrePing.Never)]
    public async Task Begin_OnAKilledSession_DiscardsIt_AndTheNextTransactionsSucceed(PrePing prePing)
    {
        if (Engine.SessionIdSql is not { } sessionIdSql || Engine.SessionCountSql is not { } sessionCountSql)
        {
            Assert.Skip("Only server engines have sessions to kill.");
            return;
        }

        var connection = Fixture.Another("victim_" + prePing, c => (c.PoolSize, c.PoolPrePing) = (1, prePing));
        var killer = Fixture.Another("killer");
        var victim = connection.Scalar<long>(sessionIdSql);
        killer.Execute(Engine.KillSql(victim)!);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (killer.Scalar<long>(sessionCountSql, new { id = victim }) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Cancel);
        }

        var outcomes = new List<SwitchboardException?>();
        for (var i = 0; i < 4; i++)
        {
            try
            {
                var name = "tx " + i;
                if (i % 2 == 0)
                {
                    connection.Transaction(() => connection.Execute(InsertSql(), new { name }));
                }
                else
                {
                    await connection.TransactionAsync(() => connection.ExecuteAsync(InsertSql(), new { name }, Cancel), cancellationToken: Cancel);
                }

                outcomes.Add(null);
            }
            catch (SwitchboardException exception)
            {
                outcomes.Add(exception);
            }
        }

        Assert.All(outcomes.Skip(1), Assert.Null);
        if (outcomes[0] is { } lost)
        {
            Assert.True(lost.IsTransient, lost.Message);
            Assert.NotEqual(PrePing.Always, prePing);
        }

        Assert.Equal(outcomes[0] is null ? 4 : 3, Names().Count);
        Assert.NotEqual(victim, connection.Scalar<long>(sessionIdSql));
        var statistics = connection.Statistics;
        Assert.Equal((1, 1), (statistics.Size, statistics.Idle));
    }

    private static void Swallow(Action action)
    {
        try
        {
            action();
        }
        catch (SwitchboardException)
        {
            // The test goes on after a failure, as code that catches and continues would.
        }
    }

    private static Task Complete(Transaction transaction, bool commit, bool async)
    {
        if (async)
        {
            return commit ? transaction.CommitAsync(Cancel) : transaction.RollbackAsync(Cancel);
        }

        if (commit)
        {
            transaction.Commit();
        }
        else
        {
            transaction.Rollback();
        }

        return Task.CompletedTask;
    }

    private Task<int> Insert(string name, bool async) =>
        async ? Primary.ExecuteAsync(InsertSql(), new { name }, Cancel) : Task.FromResult(Primary.Execute(InsertSql(), new { name }));

    private Task<int> InsertNullName(bool async) =>
        async
            ? Primary.ExecuteAsync($"INSERT INTO {Q("gadgets")} ({Q("name")}, {Q("status")}) VALUES (NULL, 'tx')", null, Cancel)
            : Task.FromResult(Primary.Execute($"INSERT INTO {Q("gadgets")} ({Q("name")}, {Q("status")}) VALUES (NULL, 'tx')"));

    private string InsertSql() => $"INSERT INTO {Q("gadgets")} ({Q("name")}, {Q("status")}) VALUES ({P("name")}, 'tx')";

    private string UpdateRankById() => $"UPDATE {Q("gadgets")} SET {Q("rank")} = {Q("rank")} + 1 WHERE {Q("id")} = {P("id")}";
}
