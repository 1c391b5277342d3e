using Switchboard.IntegrationTests.Conformance.Models;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>Transactions and savepoints: commit, rollback, rollback on dispose, the ambient join, and the lambda forms.</summary>
public abstract partial class TransactionTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    [Fact]
    public void Commit_KeepsTheWork_AndRollbackUndoesIt()
    {
        using (var kept = new Transaction(Primary))
        {
            new Gadget { Name = "committed", Status = "tx" }.Save();
            kept.Commit();
        }

        using (var undone = new Transaction(Primary))
        {
            new Gadget { Name = "rolled back", Status = "tx" }.Save();
            undone.Rollback();
        }

        Assert.Equal(["committed"], Names());
    }

    [Fact]
    public async Task Dispose_WithoutCommit_RollsBack()
    {
        using (new Transaction(Primary))
        {
            new Gadget { Name = "dropped with its transaction", Status = "tx" }.Save();
        }

        await using (var transaction = Primary.BeginTransaction())
        {
            await new Gadget { Name = "dropped async", Status = "tx" }.SaveAsync(Cancel);
        }

        Assert.Empty(Names());
    }

    [Fact]
    public void ModelsAndRawSql_JoinTheAmbientTransaction_UnseenByOtherSessionsUntilCommit()
    {
        var observer = Fixture.Another("observer");
        using var transaction = new Transaction(Primary);

        new Gadget { Name = "model", Status = "tx" }.Save();
        Primary.Execute($"INSERT INTO {Q("gadgets")} ({Q("name")}, {Q("status")}) VALUES ({P("name")}, 'tx')", new { name = "raw" });
        var inside = Gadget.Count();
        var outside = Gadget.Using("observer").Count();
        transaction.Commit();

        Assert.Equal(2, inside);
        Assert.Equal(0, outside);
        Assert.Equal(2, observer.Scalar<long>($"SELECT COUNT(*) FROM {Q("gadgets")}"));
    }

    [Fact]
    public void Transaction_Lambda_CommitsOnReturn_AndRollsBackOnException()
    {
        var id = Primary.Transaction(() =>
        {
            var gadget = new Gadget { Name = "lambda", Status = "tx" };
            gadget.Save();
            return gadget.Id;
        });
        var error = Assert.Throws<InvalidOperationException>(() => Primary.Transaction(() =>
        {
            new Gadget { Name = "thrown", Status = "tx" }.Save();
            throw new InvalidOperationException("boom");
        }));

        Assert.Equal("boom", error.Message);
        Assert.Equal(["lambda"], Names());
        Assert.Equal("lambda", Gadget.Find(id).Name);
    }

    [Fact]
    public async Task TransactionAsync_Lambda_CommitsOnReturn_AndRollsBackOnException()
    {
        var name = await Primary.TransactionAsync(async () =>
        {
            await new Gadget { Name = "async lambda", Status = "tx" }.SaveAsync(Cancel);
            return (await Gadget.FirstAsync(Cancel)).Name;
        }, cancellationToken: Cancel);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Primary.TransactionAsync(async () =>
        {
            await new Gadget { Name = "async thrown", Status = "tx" }.SaveAsync(Cancel);
            throw new InvalidOperationException("boom");
        }, cancellationToken: Cancel));

        Assert.Equal("async lambda", name);
        Assert.Equal(["async lambda"], Names());
    }

    [Fact]
    public void Savepoint_RolledBack_LeavesTheOuterWork()
    {
        using (var outer = new Transaction(Primary))
        {
            new Gadget { Name = "kept", Status = "tx" }.Save();
            using (var inner = new Transaction(Primary))
            {
                Assert.True(inner.IsNested);
                new Gadget { Name = "undone", Status = "tx" }.Save();
                inner.Rollback();
            }

            Primary.Transaction(() => new Gadget { Name = "nested kept", Status = "tx" }.Save());
            Assert.Throws<InvalidOperationException>(() => Primary.Transaction(() =>
            {
                new Gadget { Name = "nested thrown", Status = "tx" }.Save();
                throw new InvalidOperationException("inner only");
            }));
            using (new Transaction(Primary))
            {
                new Gadget { Name = "nested disposed", Status = "tx" }.Save();
            }

            new Gadget { Name = "after the savepoints", Status = "tx" }.Save();
            outer.Commit();
        }

        Assert.Equal(["after the savepoints", "kept", "nested kept"], Names());
    }

    [Fact]
    public void Savepoint_TwoLevelsDeep_RollsBackOnlyItsOwnLevel()
    {
        Primary.Transaction(() =>
        {
            new Gadget { Name = "level 0", Status = "tx" }.Save();
            Primary.Transaction(() =>
            {
                new Gadget { Name = "level 1", Status = "tx" }.Save();
                using var level2 = new Transaction(Primary);
                new Gadget { Name = "level 2", Status = "tx" }.Save();
                level2.Rollback();
            });
        });

        Assert.Equal(["level 0", "level 1"], Names());
    }

    [Fact]
    public void Completed_Transaction_RefusesFurtherUse()
    {
        using var transaction = new Transaction(Primary);
        new Gadget { Name = "once", Status = "tx" }.Save();
        transaction.Commit();

        Assert.Throws<TransactionException>(transaction.Commit);
        Assert.Throws<TransactionException>(transaction.Rollback);
    }

    private static List<string> Names() => [.. Gadget.All().Select(g => g.Name).Order(StringComparer.Ordinal)];
}
