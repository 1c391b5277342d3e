namespace Switchboard.Tests.SyncOrAsync;

/// <summary>Raw SQL, transactions in a lambda and table copy on <see cref="Connection"/>, each run in its sync and its async form.</summary>
public sealed class ConnectionSyncOrAsyncTests : SyncOrAsyncTestBase
{
    private const string Insert = "INSERT INTO users (name, status) VALUES (@name, 'new')";

    [Theory]
    [SyncOrAsyncData]
    public async Task Execute_ReturnsTheRowsChanged(SyncOrAsync mode)
    {
        var inserted = await Run(mode, () => Primary.Execute(Insert, new { name = "a" }), ct => Primary.ExecuteAsync(Insert, new { name = "a" }, ct));
        var updated = await Run(mode, () => Primary.Execute("UPDATE users SET age = 1"), ct => Primary.ExecuteAsync("UPDATE users SET age = 1", cancellationToken: ct));

        Assert.Equal((1, 1), (inserted, updated));
        Assert.Equal(1L, Users(Primary));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task ExecuteRaw_ReturnsRowsColumnsAndTheGeneratedKey(SyncOrAsync mode)
    {
        var insert = await Run(mode, () => Primary.ExecuteRaw(Insert, new { name = "a" }), ct => Primary.ExecuteRawAsync(Insert, new { name = "a" }, ct));
        const string select = "SELECT id, name FROM users WHERE name IN @names";
        var rows = await Run(mode, () => Primary.ExecuteRaw(select, new { names = new[] { "a", "z" } }), ct => Primary.ExecuteRawAsync(select, new { names = new[] { "a", "z" } }, ct));

        Assert.Equal(1, insert.AffectedRows);
        Assert.Equal(insert.LastInsertId, rows.Scalar<long>());
        Assert.Equal(["id", "name"], rows.Columns);
        Assert.Equal("a", Assert.Single(rows.Rows)["name"]);
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task CheckHealth_PingsThisConnection_AndReportsItsPool(SyncOrAsync mode)
    {
        var health = await Run(mode, Primary.CheckHealth, Primary.CheckHealthAsync);

        Assert.Equal("primary", health.Name);
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Null(health.Error);
        Assert.True(health.Latency > TimeSpan.Zero);
        Assert.Equal(1, health.Statistics.Idle);
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Scalar_ConvertsTheFirstValue_AndIsDefaultWithoutARow(SyncOrAsync mode)
    {
        Primary.Execute(Insert, new { name = "a" });

        var count = await Run(mode, () => Primary.Scalar<int>("SELECT COUNT(*) FROM users"), ct => Primary.ScalarAsync<int>("SELECT COUNT(*) FROM users", cancellationToken: ct));
        var none = await Run(mode, () => Primary.Scalar<string>("SELECT name FROM users WHERE 0 = 1"), ct => Primary.ScalarAsync<string>("SELECT name FROM users WHERE 0 = 1", cancellationToken: ct));

        Assert.Equal(1, count);
        Assert.Null(none);
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Statements_ThatFail_ThrowTheSameStatementException(SyncOrAsync mode)
    {
        Primary.Execute("CREATE UNIQUE INDEX users_name ON users (name)");
        Primary.Execute(Insert, new { name = "a" });

        var unique = await Throws<StatementException>(mode, () => Primary.Execute(Insert, new { name = "a" }), ct => Primary.ExecuteAsync(Insert, new { name = "a" }, ct));
        var syntax = await Throws<StatementException>(mode, () => Primary.ExecuteRaw("SELEC 1"), ct => Primary.ExecuteRawAsync("SELEC 1", cancellationToken: ct));
        var scalar = await Throws<StatementException>(mode, () => Primary.Scalar<int>("SELECT nope FROM users"), ct => Primary.ScalarAsync<int>("SELECT nope FROM users", cancellationToken: ct));

        Assert.Equal((StatementErrorKind.UniqueViolation, StatementErrorKind.Syntax), (unique.Kind, syntax.Kind));
        Assert.NotNull(scalar.InnerException);
        Assert.Equal(0, Primary.Statistics.InUse);
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Statements_InsideUsingReplicas_AreRefusedBeforeTheyAreSent(SyncOrAsync mode)
    {
        using (ConnectionManager.UsingReplicas())
        {
            await Throws<ReadOnlyException>(mode, () => Primary.Execute(Insert, new { name = "a" }), ct => Primary.ExecuteAsync(Insert, new { name = "a" }, ct));
            await Throws<ReadOnlyException>(mode, () => Primary.ExecuteRaw(Insert, new { name = "a" }), ct => Primary.ExecuteRawAsync(Insert, new { name = "a" }, ct));
            await Throws<ReadOnlyException>(mode, () => Primary.Scalar<long>(Insert + " RETURNING id", new { name = "a" }), ct => Primary.ScalarAsync<long>(Insert + " RETURNING id", new { name = "a" }, ct));
        }

        Assert.Equal(0L, Users(Primary));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Transaction_CommitsWhenTheWorkReturns_AndReturnsItsResult(SyncOrAsync mode)
    {
        await Run(
            mode,
            () => Primary.Transaction(() => { Primary.Execute(Insert, new { name = "a" }); }),
            ct => Primary.TransactionAsync(async () => { await Primary.ExecuteAsync(Insert, new { name = "a" }, ct).ConfigureAwait(false); }, cancellationToken: ct));
        var id = await Run(
            mode,
            () => Primary.Transaction(() => Primary.Scalar<long>(Insert + " RETURNING id", new { name = "b" })),
            ct => Primary.TransactionAsync(async () => await Primary.ScalarAsync<long>(Insert + " RETURNING id", new { name = "b" }, ct).ConfigureAwait(false), cancellationToken: ct));

        Assert.Equal(2L, Users(Primary));
        Assert.Equal("b", Primary.Scalar<string>("SELECT name FROM users WHERE id = @id", new { id }));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Transaction_RollsBackWhenTheWorkThrows_AndRethrowsItsException(SyncOrAsync mode)
    {
        var error = await Throws<InvalidOperationException>(
            mode,
            () => Primary.Transaction(() => { Primary.Execute(Insert, new { name = "a" }); throw new InvalidOperationException("work failed"); }),
            ct => Primary.TransactionAsync(async () => { await Primary.ExecuteAsync(Insert, new { name = "a" }, ct).ConfigureAwait(false); throw new InvalidOperationException("work failed"); }, cancellationToken: ct));
        await Throws<InvalidOperationException>(
            mode,
            () => Primary.Transaction<int>(() => throw new InvalidOperationException("typed work failed")),
            ct => Primary.TransactionAsync<int>(() => throw new InvalidOperationException("typed work failed"), cancellationToken: ct));

        Assert.Equal("work failed", error.Message);
        Assert.Equal(0L, Users(Primary));
        Assert.Equal(0, Primary.Statistics.InUse);
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Transaction_Nested_IsASavepointThatRollsBackAlone(SyncOrAsync mode)
    {
        await Run(
            mode,
            () => Primary.Transaction(() =>
            {
                Primary.Execute(Insert, new { name = "outer" });
                Assert.Throws<InvalidOperationException>(() => Primary.Transaction(() => { Primary.Execute(Insert, new { name = "inner" }); throw new InvalidOperationException(); }));
            }),
            ct => Primary.TransactionAsync(async () =>
            {
                await Primary.ExecuteAsync(Insert, new { name = "outer" }, ct).ConfigureAwait(false);
                await Assert.ThrowsAsync<InvalidOperationException>(() => Primary.TransactionAsync(async () => { await Primary.ExecuteAsync(Insert, new { name = "inner" }, ct).ConfigureAwait(false); throw new InvalidOperationException(); }, cancellationToken: ct)).ConfigureAwait(false);
            }, cancellationToken: ct));

        Assert.Equal("outer", Primary.Scalar<string>("SELECT group_concat(name) FROM users"));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task CopyTable_CopiesEveryRowToTheOtherConnection(SyncOrAsync mode)
    {
        Primary.Execute(Insert, new { name = "a" });
        Primary.Execute(Insert, new { name = "b" });

        var result = await Run(mode, () => Primary.CopyTable("users", "secondary"), ct => Primary.CopyTableAsync("users", "secondary", cancellationToken: ct));

        Assert.Equal(2L, result.Rows);
        Assert.Equal("a,b", Secondary.Scalar<string>("SELECT group_concat(name) FROM (SELECT name FROM users ORDER BY name)"));
    }
}
