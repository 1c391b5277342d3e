namespace Switchboard.Tests.SyncOrAsync;

/// <summary>Each operation of <see cref="Transaction"/>, run with the same assertions in its sync and its async form.</summary>
public sealed class TransactionSyncOrAsyncTests : SyncOrAsyncTestBase
{
    private const string Insert = "INSERT INTO users (name, status) VALUES (@name, 'new')";

    [Theory]
    [SyncOrAsyncData]
    public async Task Commit_KeepsTheWrites(SyncOrAsync mode)
    {
        using (var tx = Primary.BeginTransaction())
        {
            tx.Execute(Insert, new { name = "a" });
            await Run(mode, tx.Commit, tx.CommitAsync);
        }

        Assert.Equal(1L, Users(Primary));
        Assert.Equal(0, Primary.Statistics.InUse);
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Commit_Twice_IsRefusedWithTransactionException(SyncOrAsync mode)
    {
        using var tx = Primary.BeginTransaction();
        tx.Execute(Insert, new { name = "a" });
        tx.Commit();

        await Throws<TransactionException>(mode, tx.Commit, tx.CommitAsync);

        Assert.Equal(1L, Users(Primary));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Commit_AfterAStatementEndedTheTransaction_IsRefused_AndNothingIsKept(SyncOrAsync mode)
    {
        Primary.Execute("CREATE TRIGGER refuse BEFORE INSERT ON users WHEN NEW.name = 'bad' BEGIN SELECT RAISE(ROLLBACK, 'refused'); END");
        using var tx = Primary.BeginTransaction();
        tx.Execute(Insert, new { name = "a" });
        Assert.ThrowsAny<SwitchboardException>(() => tx.Execute(Insert, new { name = "bad" }));

        await Throws<TransactionException>(mode, tx.Commit, tx.CommitAsync);

        Assert.Equal(0L, Users(Primary));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Rollback_DiscardsTheWrites(SyncOrAsync mode)
    {
        using (var tx = Primary.BeginTransaction())
        {
            tx.Execute(Insert, new { name = "a" });
            await Run(mode, tx.Rollback, tx.RollbackAsync);
        }

        Assert.Equal(0L, Users(Primary));
        Assert.Equal(0, Primary.Statistics.InUse);
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Dispose_WithoutCommit_RollsBack_AndEndsTheAmbientTransaction(SyncOrAsync mode)
    {
        var tx = Primary.BeginTransaction();
        Primary.Execute(Insert, new { name = "a" });

        await Run(mode, tx.Dispose, _ => tx.DisposeAsync().AsTask());
        Primary.Execute(Insert, new { name = "after" });

        Assert.Equal("after", Primary.Scalar<string>("SELECT group_concat(name) FROM users"));
        Assert.Equal(0, Primary.Statistics.InUse);
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Statements_SeeTheTransactionsOwnWrites_AndGoWithIt(SyncOrAsync mode)
    {
        using (var tx = Primary.BeginTransaction())
        {
            var inserted = await Run(mode, () => tx.Execute(Insert, new { name = "a" }), ct => tx.ExecuteAsync(Insert, new { name = "a" }, ct));
            var raw = await Run(mode, () => tx.ExecuteRaw("SELECT name FROM users"), ct => tx.ExecuteRawAsync("SELECT name FROM users", cancellationToken: ct));
            var count = await Run(mode, () => tx.Scalar<long>("SELECT COUNT(*) FROM users"), ct => tx.ScalarAsync<long>("SELECT COUNT(*) FROM users", cancellationToken: ct));

            Assert.Equal((1, "a", 1L), (inserted, raw.Scalar<string>(), count));
        }

        Assert.Equal(0L, Users(Primary));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Statements_AfterCommit_AreRefusedWithTransactionException(SyncOrAsync mode)
    {
        using var tx = Primary.BeginTransaction();
        tx.Commit();

        await Throws<TransactionException>(mode, () => tx.Execute(Insert, new { name = "a" }), ct => tx.ExecuteAsync(Insert, new { name = "a" }, ct));
        await Throws<TransactionException>(mode, () => tx.ExecuteRaw("SELECT 1"), ct => tx.ExecuteRawAsync("SELECT 1", cancellationToken: ct));
        await Throws<TransactionException>(mode, () => tx.Scalar<int>("SELECT 1"), ct => tx.ScalarAsync<int>("SELECT 1", cancellationToken: ct));

        Assert.Equal(0L, Users(Primary));
    }
}
