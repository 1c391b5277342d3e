using Switchboard.IntegrationTests.Conformance.Models;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>
/// Savepoints three levels deep and the success path of <c>CommitAsync</c>/<c>RollbackAsync</c>, sync and async: each
/// level rolls back exactly its own work, which holds only while every level's savepoint has a name of its own.
/// </summary>
public abstract class SavepointTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Savepoints_ThreeLevelsDeep_EachRollsBackExactlyItsOwnWork(bool async)
    {
        // Each level completes and disposes itself below; the using declarations only clean up after a failed assertion.
        using var outer = new Transaction(Primary);
        await SaveAsync("outer", async);
        using var level1 = new Transaction(Primary);
        await SaveAsync("level 1 before", async);
        using var level2 = new Transaction(Primary);
        Assert.True(level2.IsNested);
        await SaveAsync("level 2", async);
        await CompleteAsync(level2, commit: false, async);
        await SaveAsync("level 1 after", async);

        // Rolls back to level 1's own savepoint, not to level 2's, which a ROLLBACK TO leaves in place.
        await CompleteAsync(level1, commit: false, async);
        await SaveAsync("outer after", async);
        await CompleteAsync(outer, commit: true, async);

        Assert.Equal(["outer", "outer after"], Names());
        Assert.Equal(0, Primary.Statistics.InUse);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Savepoints_ThreeLevelsDeep_CommittedInnerLevels_KeepTheirWorkWithTheOuterCommit(bool async)
    {
        using var outer = new Transaction(Primary);
        await SaveAsync("outer", async);
        using var level1 = new Transaction(Primary);
        await SaveAsync("level 1", async);
        using var level2 = new Transaction(Primary);
        await SaveAsync("level 2", async);
        await CompleteAsync(level2, commit: true, async);
        await CompleteAsync(level1, commit: true, async);
        using var sibling = new Transaction(Primary);
        await SaveAsync("sibling undone", async);
        await CompleteAsync(sibling, commit: false, async);
        await CompleteAsync(outer, commit: true, async);

        Assert.Equal(["level 1", "level 2", "outer"], Names());
    }

    [Fact]
    public async Task CommitAsync_KeepsTheWorkForOtherSessions_RollbackAsync_UndoesIt_AndBothGiveTheConnectionBack()
    {
        var observer = Fixture.Another("observer");
        using var committed = new Transaction(Primary);
        await new Gadget { Name = "committed", Status = "async" }.SaveAsync(Cancel);
        Assert.Equal(1, Primary.Statistics.InUse);
        await committed.CommitAsync(Cancel);
        await committed.DisposeAsync();
        Assert.Equal(0, Primary.Statistics.InUse);

        using var rolledBack = new Transaction(Primary);
        await new Gadget { Name = "rolled back", Status = "async" }.SaveAsync(Cancel);
        await rolledBack.RollbackAsync(Cancel);
        await rolledBack.DisposeAsync();
        Assert.Equal(0, Primary.Statistics.InUse);

        Assert.Equal(1L, await observer.ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("gadgets")}", cancellationToken: Cancel));
        Assert.Equal(["committed"], Names());
        await Assert.ThrowsAsync<TransactionException>(() => committed.CommitAsync(Cancel));
    }

    private static async Task SaveAsync(string name, bool async)
    {
        var gadget = new Gadget { Name = name, Status = "sp" };
        if (async)
        {
            await gadget.SaveAsync(Cancel);
        }
        else
        {
            gadget.Save();
        }
    }

    private static async Task CompleteAsync(Transaction transaction, bool commit, bool async)
    {
        switch (commit, async)
        {
            case (true, true):
                await transaction.CommitAsync(Cancel);
                await transaction.DisposeAsync();
                break;
            case (true, false):
                transaction.Commit();
                transaction.Dispose();
                break;
            case (false, true):
                await transaction.RollbackAsync(Cancel);
                await transaction.DisposeAsync();
                break;
            default:
                transaction.Rollback();
                transaction.Dispose();
                break;
        }
    }

    private static List<string> Names() => [.. Gadget.OrderBy(g => g.Name).All().Select(g => g.Name)];
}

// One line per engine, as in the engines' own files.

public sealed class SqliteSavepointTests(Sqlite.SqliteFixture fixture) : SavepointTests<Sqlite.SqliteFixture>(fixture);

public sealed class PostgreSqlSavepointTests(PostgreSql.PostgreSqlFixture fixture) : SavepointTests<PostgreSql.PostgreSqlFixture>(fixture);

public sealed class MariaDbSavepointTests(MariaDb.MariaDbFixture fixture) : SavepointTests<MariaDb.MariaDbFixture>(fixture);

public sealed class SqlServerSavepointTests(SqlServer.SqlServerFixture fixture) : SavepointTests<SqlServer.SqlServerFixture>(fixture);

public sealed class OracleSavepointTests(Oracle.OracleFixture fixture) : SavepointTests<Oracle.OracleFixture>(fixture);
