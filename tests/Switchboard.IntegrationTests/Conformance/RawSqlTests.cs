using System.Globalization;
using Switchboard.IntegrationTests.Conformance.Models;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>Raw SQL on a named connection: rows, affected rows, the inserted key, scalars and both forms of parameters.</summary>
public abstract class RawSqlTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    [Fact]
    public void Connection_ReportsTheConfiguredDriver_AndRunsAStatement()
    {
        Assert.Equal(Engine.Driver, Primary.Driver);
        Assert.Equal(0, Primary.Scalar<int>($"SELECT COUNT(*) FROM {Q("gadgets")}"));
    }

    [Fact]
    public void ExecuteRaw_ReturnsRowsAffectedRowsAndTheInsertedKey()
    {
        var insert = Primary.ExecuteRaw(InsertSql, new { name = "raw", status = "raw", price = 2.5m });
        Primary.ExecuteRaw(InsertSql, new { name = "raw 2", status = "raw", price = 4.5m });
        var update = Primary.ExecuteRaw($"UPDATE {Q("gadgets")} SET {Q("price")} = {Q("price")} + 1 WHERE {Q("status")} = {P("status")}", new { status = "raw" });
        var select = Primary.ExecuteRaw(
            $"SELECT {Q("id")}, {Q("name")}, {Q("price")} FROM {Q("gadgets")} WHERE {Q("status")} = {P("status")} ORDER BY {Q("id")}",
            new Dictionary<string, object?> { ["status"] = "raw" });

        Assert.Equal(1, insert.AffectedRows);
        Assert.Equal(Engine.ReportsLastInsertId ? Gadget.Where(g => g.Name == "raw").First().Id : null, insert.LastInsertId);
        Assert.Equal(2, update.AffectedRows);
        Assert.Equal(0, select.AffectedRows);
        Assert.Equal(["id", "name", "price"], select.Columns);
        Assert.Equal(2, select.Rows.Count);
        Assert.Equal("raw 2", select.Rows[1]["NAME"]);
        Assert.Equal(5.5m, Convert.ToDecimal(select.Rows[1]["price"], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ExecuteRawAsync_WithNoRows_ReturnsTheColumnsAndAnEmptyList()
    {
        var result = await Primary.ExecuteRawAsync($"SELECT {Q("id")}, {Q("note")} FROM {Q("gadgets")} WHERE {Q("id")} < 0", cancellationToken: Cancel);

        Assert.Equal(["id", "note"], result.Columns);
        Assert.Empty(result.Rows);
        Assert.Null(result.LastInsertId);
    }

    [Fact]
    public async Task Scalar_ConvertsToTheRequestedType_AndIsDefaultWithoutARow()
    {
        new Gadget { Name = "one", Status = "s", Price = 1.25m, Rank = 3 }.Save();
        new Gadget { Name = "two", Status = "s", Price = 2.5m, Rank = 4 }.Save();
        var count = $"SELECT COUNT(*) FROM {Q("gadgets")} WHERE {Q("status")} = {P("status")}";

        Assert.Equal(2L, Primary.Scalar<long>(count, new { status = "s" }));
        Assert.Equal(2, await Primary.ScalarAsync<int>(count, new Dictionary<string, object?> { ["status"] = "s" }, Cancel));
        Assert.Equal(3.75m, Primary.Scalar<decimal>($"SELECT SUM({Q("price")}) FROM {Q("gadgets")}"));
        Assert.Equal("two", Primary.Scalar<string>($"SELECT {Q("name")} FROM {Q("gadgets")} WHERE {Q("rank")} = {P("rank")}", new { rank = 4 }));
        Assert.Null(Primary.Scalar<string>($"SELECT {Q("name")} FROM {Q("gadgets")} WHERE {Q("rank")} = {P("rank")}", new { rank = 99 }));
        Assert.Equal(0, Primary.Scalar<int>($"SELECT {Q("rank")} FROM {Q("gadgets")} WHERE {Q("rank")} = {P("rank")}", new { rank = 99 }));
    }

    [Fact]
    public async Task Execute_ReturnsTheAffectedRows_WithParametersFromAnObjectOrADictionary()
    {
        new Gadget { Name = "a", Status = "x" }.Save();
        new Gadget { Name = "b", Status = "x" }.Save();
        new Gadget { Name = "c", Status = "y" }.Save();
        var sql = $"UPDATE {Q("gadgets")} SET {Q("note")} = {P("note")} WHERE {Q("status")} = {P("status")}";

        Assert.Equal(2, Primary.Execute(sql, new { note = "from object", status = "x" }));
        Assert.Equal(1, await Primary.ExecuteAsync(sql, new Dictionary<string, object?> { ["note"] = null, ["status"] = "y" }, Cancel));
        Assert.Equal(0, Primary.Execute(sql, new { note = "none", status = "z" }));
        Assert.Equal(2, Gadget.Where(g => g.Note == "from object").Count());
        Assert.Equal(1, Gadget.Where(g => g.Note == null).Count());
    }

    [Fact]
    public void ExecuteRaw_WithABadStatement_ThrowsASwitchboardExceptionWrappingTheDriversError()
    {
        var error = Assert.ThrowsAny<SwitchboardException>(() => Primary.ExecuteRaw($"SELECT {Q("id")} FROM {Q("no_such_table")}"));

        Assert.NotNull(error.InnerException);
        Assert.False(error.IsTransient);
        Assert.Equal(0, Primary.Scalar<int>($"SELECT COUNT(*) FROM {Q("gadgets")}"));
    }

    private string InsertSql =>
        $"INSERT INTO {Q("gadgets")} ({Q("name")}, {Q("status")}, {Q("price")}, {Q("rank")}) VALUES ({P("name")}, {P("status")}, {P("price")}, 3)";
}
