using System.Data;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Switchboard.IntegrationTests.Conformance.Models;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>Every isolation level the engine has is accepted and in effect (where the server says so); the others are refused.</summary>
public abstract class IsolationTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    private const int SqliteBusy = 5;

    /// <summary>How long a second SQLite writer waits for the lock before SQLITE_BUSY; short, so the test is quick.</summary>
    private static readonly TimeSpan SqliteBusyTimeout = TimeSpan.FromMilliseconds(300);

    [Theory]
    [InlineData(IsolationLevel.ReadUncommitted)]
    [InlineData(IsolationLevel.ReadCommitted)]
    [InlineData(IsolationLevel.RepeatableRead)]
    [InlineData(IsolationLevel.Serializable)]
    [InlineData(IsolationLevel.Snapshot)]
    [InlineData(IsolationLevel.Chaos)]
    public void Transaction_AtALevel_RunsAtThatLevel_OrIsRefusedWhereTheEngineLacksIt(IsolationLevel level)
    {
        if (!Primary.Dialect.SupportsIsolationLevel(level))
        {
            var error = Assert.Throws<TransactionException>(() => new Transaction(Primary, level));
            Assert.Contains(level.ToString(), error.Message, StringComparison.Ordinal);
            return;
        }

        var writer = Engine.IsServer ? null : Fixture.Another("level_writer", SqliteWriter);
        var seen = Primary.Transaction(
            () =>
            {
                new Gadget { Name = "isolated", Status = level.ToString() }.Save();
                if (writer is not null)
                {
                    // SQLite has no weaker level: at every one, no second writer gets in while this transaction has written.
                    ProveTheSecondWriterWaitsThenIsBusy(() => writer.Execute($"INSERT INTO {Q("gadgets")} ({Q("name")}, {Q("status")}) VALUES ('second', 'x')"));
                }

                return ReadIsolation();
            },
            level);

        Assert.Equal(1, Gadget.Where(g => g.Status == level.ToString()).Count());
        if (Engine.CurrentIsolationSql is not null)
        {
            Assert.Equal(Engine.IsolationName(level), seen);
        }
    }

    [Fact]
    public async Task TransactionAsync_AtALevel_RunsAtThatLevel()
    {
        var seen = await Primary.TransactionAsync(
            async () =>
            {
                await new Gadget { Name = "isolated async", Status = "async" }.SaveAsync(Cancel);
                return ReadIsolation();
            },
            IsolationLevel.Serializable,
            Cancel);

        Assert.Equal(Engine.CurrentIsolationSql is null ? null : Engine.IsolationName(IsolationLevel.Serializable), seen);
    }

    [Fact]
    public void NestedTransaction_AtAnotherLevel_IsRefused()
    {
        using var outer = new Transaction(Primary, IsolationLevel.Serializable);

        Assert.Throws<TransactionException>(() => new Transaction(Primary, IsolationLevel.ReadCommitted));
    }

    [Fact]
    public void ASnapshotReadingLevel_DoesNotSeeARowCommittedMeanwhile_AndSqliteLetsNoSecondWriterIn()
    {
        var writer = Fixture.Another("writer", Engine.IsServer ? null : SqliteWriter);
        new Gadget { Name = "first", Status = "rr" }.Save();
        var insert = $"INSERT INTO {Q("gadgets")} ({Q("name")}, {Q("status")}) VALUES ('second', 'rr')";

        // The level that reads from a snapshot without blocking writers: SQL Server's SNAPSHOT (its REPEATABLE READ lets
        // phantoms in), REPEATABLE READ on PostgreSQL and InnoDB, Oracle's SERIALIZABLE; SQLite's only level otherwise.
        var dialect = Primary.Dialect;
        var level = dialect.SupportsIsolationLevel(IsolationLevel.Snapshot) ? IsolationLevel.Snapshot
            : dialect.SupportsIsolationLevel(IsolationLevel.RepeatableRead) ? IsolationLevel.RepeatableRead
            : IsolationLevel.Serializable;

        var (before, after) = Primary.Transaction(
            () =>
            {
                var before = Gadget.Count();
                if (Engine.IsServer)
                {
                    writer.Execute(insert);
                }
                else
                {
                    ProveTheSecondWriterWaitsThenIsBusy(() => writer.Execute(insert));
                }

                return (before, Gadget.Count());
            },
            level);

        Assert.Equal(1, before);
        Assert.Equal(1, after);
        if (!Engine.IsServer)
        {
            // The lock went with the commit: the same writer gets in now.
            writer.Execute(insert);
        }

        Assert.Equal(2, Gadget.Count());
    }

    [Fact]
    public async Task ASecondWriter_WhileATransactionHasWritten_WaitsOrIsRefused_AndGetsInAfterTheCommit_Async()
    {
        var writer = Fixture.Another("writer_async", Engine.IsServer ? null : SqliteWriter);
        var update = $"UPDATE {Q("gadgets")} SET {Q("rank")} = {Q("rank")} + 1 WHERE {Q("name")} = 'contended'";
        await new Gadget { Name = "contended", Status = "w" }.SaveAsync(Cancel);

        Task<int>? waiting = null;
        await Primary.TransactionAsync(
            async () =>
            {
                await Primary.ExecuteAsync(update, cancellationToken: Cancel);
                if (Engine.IsServer)
                {
                    // A server queues the second writer on the row lock until this transaction ends.
                    waiting = writer.ExecuteAsync(update, cancellationToken: Cancel);
                    await Task.Delay(300, Cancel);
                    Assert.False(waiting.IsCompleted, "the second writer got past a row lock held by an open transaction");
                }
                else
                {
                    await ProveTheSecondWriterWaitsThenIsBusyAsync(() => writer.ExecuteAsync(update, cancellationToken: Cancel));
                }
            },
            IsolationLevel.Serializable,
            Cancel);

        Assert.Equal(1, waiting is null ? await writer.ExecuteAsync(update, cancellationToken: Cancel) : await waiting);
        Assert.Equal(2, (await Gadget.Where(g => g.Name == "contended").FirstAsync(Cancel)).Rank);
    }

    /// <summary>A second SQLite writer that gives up soon: after <c>busy_timeout</c> (rounded up to a whole second by Microsoft.Data.Sqlite's retries).</summary>
    private static void SqliteWriter(ConnectionConfig config) => config.BusyTimeout = SqliteBusyTimeout;

    /// <summary>SQLite: a write while another connection's transaction holds the write lock waits <c>busy_timeout</c>, then fails with SQLITE_BUSY, transient.</summary>
    private static void ProveTheSecondWriterWaitsThenIsBusy(Action write)
    {
        var waited = Stopwatch.StartNew();
        var busy = Assert.Throws<StatementException>(write);
        AssertBusy(busy, waited.Elapsed);
    }

    private static async Task ProveTheSecondWriterWaitsThenIsBusyAsync(Func<Task> write)
    {
        var waited = Stopwatch.StartNew();
        var busy = await Assert.ThrowsAsync<StatementException>(write);
        AssertBusy(busy, waited.Elapsed);
    }

    private static void AssertBusy(SwitchboardException busy, TimeSpan waited)
    {
        Assert.Equal(SqliteBusy, Assert.IsType<SqliteException>(busy.InnerException).SqliteErrorCode);
        Assert.True(busy.IsTransient, "SQLITE_BUSY is transient: retrying after the other transaction ends succeeds");

        // A generous lower bound: it waited for busy_timeout rather than failing at once.
        Assert.True(waited >= SqliteBusyTimeout / 2, $"the second writer gave up after {waited.TotalMilliseconds:0} ms, before busy_timeout");
    }

    private string? ReadIsolation()
    {
        if (Engine.CurrentIsolationSql is not { } sql)
        {
            return null;
        }

        if (Engine.IsolationVisibleAfterWriteOnly)
        {
            // InnoDB serves information_schema.innodb_trx from a cache refreshed at most every 0.1 s, which may still list
            // this connection's previous transaction: read it only once a refresh must have seen the write just made.
            Thread.Sleep(200);
        }

        var level = Primary.Scalar<string>(sql);
        for (var attempt = 0; level is null && Engine.IsolationVisibleAfterWriteOnly && attempt < 30; attempt++)
        {
            Thread.Sleep(100);
            level = Primary.Scalar<string>(sql);
        }

        return level?.Replace('-', ' ').Replace('_', ' ').ToLowerInvariant();
    }
}
