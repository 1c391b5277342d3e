using System.Data;
using Switchboard.IntegrationTests.Conformance.Models;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>Every isolation level the engine has is accepted and in effect (where the server says so); the others are refused.</summary>
public abstract class IsolationTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
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

        var seen = Primary.Transaction(
            () =>
            {
                new Gadget { Name = "isolated", Status = level.ToString() }.Save();
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
    public void ASnapshotReadingLevel_DoesNotSeeARowCommittedMeanwhile()
    {
        var writer = Fixture.Another("writer");
        new Gadget { Name = "first", Status = "rr" }.Save();

        // The level that reads from a snapshot without blocking writers: SQL Server's SNAPSHOT (its REPEATABLE READ lets
        // phantoms in), REPEATABLE READ on PostgreSQL and InnoDB, Oracle's SERIALIZABLE.
        var dialect = Primary.Dialect;
        var level = dialect.SupportsIsolationLevel(IsolationLevel.Snapshot) ? IsolationLevel.Snapshot
            : dialect.SupportsIsolationLevel(IsolationLevel.RepeatableRead) ? IsolationLevel.RepeatableRead
            : IsolationLevel.Serializable;

        var (before, after) = Primary.Transaction(
            () =>
            {
                var before = Gadget.Count();

                // SQLite has one writer at a time: a write committed meanwhile would wait for this transaction, so it reads only.
                if (Engine.IsServer)
                {
                    writer.Execute($"INSERT INTO {Q("gadgets")} ({Q("name")}, {Q("status")}) VALUES ('second', 'rr')");
                }

                return (before, Gadget.Count());
            },
            level);

        Assert.Equal(1, before);
        Assert.Equal(1, after);
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
