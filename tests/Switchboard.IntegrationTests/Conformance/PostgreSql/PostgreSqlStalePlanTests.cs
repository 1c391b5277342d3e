namespace Switchboard.IntegrationTests.Conformance.PostgreSql;

/// <summary>
/// A statement prepared before an ALTER TABLE fails once with <c>0A000 cached plan must not change result type</c>;
/// Npgsql drops the prepared statement then. Outside a transaction the failed statement had no effect, so it is run
/// again once, transparently; inside one, PostgreSQL has aborted the transaction and the error is the caller's.
/// </summary>
public sealed class PostgreSqlStalePlanTests(PostgreSqlFixture fixture) : ConformanceTests<PostgreSqlFixture>(fixture)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StatementPreparedBeforeAlterTable_OutsideATransaction_RunsAgainTransparently(bool async)
    {
        var table = "plans_" + (async ? "async" : "sync");
        await Primary.ExecuteAsync($"DROP TABLE IF EXISTS {table}", cancellationToken: Cancel);
        await Primary.ExecuteAsync($"CREATE TABLE {table} (id INTEGER PRIMARY KEY, a TEXT)", cancellationToken: Cancel);
        await Primary.ExecuteAsync($"INSERT INTO {table} VALUES (1, 'one')", cancellationToken: Cancel);
        var select = $"SELECT * FROM {table} WHERE id = @id";
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(2, (await Run(select, async)).Columns.Count);
        }

        await Primary.ExecuteAsync($"ALTER TABLE {table} ADD COLUMN b INTEGER NOT NULL DEFAULT 7", cancellationToken: Cancel);

        var after = await Run(select, async);
        Assert.Equal(["id", "a", "b"], after.Columns);
        Assert.Equal(7, after.Rows.Single()["b"]);
    }

    private async Task<QueryResult> Run(string sql, bool async) =>
        async ? await Primary.ExecuteRawAsync(sql, new { id = 1 }, Cancel) : Primary.ExecuteRaw(sql, new { id = 1 });
}
