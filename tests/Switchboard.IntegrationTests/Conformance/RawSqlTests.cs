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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExecuteRaw_WithColumnsOfOneName_KeepsEveryColumn_AndRefusesToPickOneByName(bool isAsync)
    {
        var first = new Gadget { Name = "a", Status = "s", Price = 7m, Rank = 1 };
        first.Save();
        var second = new Gadget { Name = "b", Status = "s", Rank = 2 };
        second.Save();
        var join = $"SELECT x.{Q("id")}, y.{Q("id")}, x.{Q("name")} FROM {Q("gadgets")} x JOIN {Q("gadgets")} y ON y.{Q("rank")} = x.{Q("rank")} + 1";
        var aliases = $"SELECT {Q("rank")} AS {Q("id")}, {Q("price")} AS {Q("ID")} FROM {Q("gadgets")} WHERE {Q("rank")} = 1";

        var joined = isAsync ? await Primary.ExecuteRawAsync(join, cancellationToken: Cancel) : Primary.ExecuteRaw(join);
        var aliased = isAsync ? await Primary.ExecuteRawAsync(aliases, cancellationToken: Cancel) : Primary.ExecuteRaw(aliases);

        Assert.Equal(["id", "id", "name"], joined.Columns);
        Assert.Equal([first.Id, second.Id, 0L], joined.Values[0].Select(v => v is string ? 0L : Convert.ToInt64(v, CultureInfo.InvariantCulture)));
        Assert.Equal("a", joined.Rows[0]["name"]);
        Assert.Equal(3, joined.Rows[0].Count);
        var ambiguous = Assert.Throws<InvalidOperationException>(() => joined.Rows[0]["id"]);
        Assert.Contains("'id'", ambiguous.Message, StringComparison.Ordinal);
        Assert.Equal(["id", "ID"], aliased.Columns);
        Assert.Equal(7m, Convert.ToDecimal(aliased.Values[0][1], CultureInfo.InvariantCulture));
        Assert.Throws<InvalidOperationException>(() => aliased.Rows[0]["ID"]);
        Assert.Equal(first.Id, joined.Scalar<long>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RawSql_WithAListParameter_ExpandsIt_AndKeepsBytesAndStringsAsValues(bool isAsync)
    {
        for (var i = 1; i <= 5; i++)
        {
            new Gadget { Name = $"r{i}", Status = "s", Rank = i }.Save();
        }

        var inList = $"SELECT {Q("name")} FROM {Q("gadgets")} WHERE {Q("rank")} IN {P("ranks")} ORDER BY {Q("rank")}";
        var inParens = $"SELECT {Q("name")} FROM {Q("gadgets")} WHERE {Q("rank")} IN ( {P("ranks")} ) AND {Q("name")} <> {P("name")} ORDER BY {Q("rank")}";
        var notIn = $"SELECT COUNT(*) FROM {Q("gadgets")} WHERE {Q("rank")} NOT IN {P("ranks")}";
        var update = $"UPDATE {Q("gadgets")} SET {Q("status")} = {P("status")} WHERE {Q("rank")} IN {P("ranks")}";
        var sample = TypeSample.Full();
        sample.Save();

        var listed = isAsync ? await Primary.ExecuteRawAsync(inList, new { ranks = new[] { 2, 4 } }, Cancel) : Primary.ExecuteRaw(inList, new { ranks = new[] { 2, 4 } });
        var parens = Primary.ExecuteRaw(inParens, new Dictionary<string, object?> { ["ranks"] = new List<long> { 1, 2, 3 }, ["name"] = "r2" });
        var count = isAsync ? await Primary.ScalarAsync<int>(notIn, new { ranks = new HashSet<int> { 1 } }, Cancel) : Primary.Scalar<int>(notIn, new { ranks = new HashSet<int> { 1 } });
        var updated = isAsync ? await Primary.ExecuteAsync(update, new { status = "listed", ranks = new[] { 5 } }, Cancel) : Primary.Execute(update, new { status = "listed", ranks = new[] { 5 } });
        var viaWhere = Gadget.Where($"{Q("rank")} IN {P("ranks")}", new { ranks = new[] { 1, 5 } }).Where(g => g.Rank > 1).Count();
        Primary.Execute($"UPDATE {Q("type_samples")} SET {Q("payload")} = {P("payload")}, {Q("label")} = {P("label")} WHERE {Q("id")} = {P("id")}", new { payload = new byte[] { 9, 8 }, label = "ab", id = sample.Id });

        Assert.Equal(["r2", "r4"], listed.Rows.Select(r => (string)r["name"]!));
        Assert.Equal(["r1", "r3"], parens.Rows.Select(r => (string)r["name"]!));
        Assert.Equal(4, count);
        Assert.Equal(1, updated);
        Assert.Equal(1, viaWhere);
        var stored = TypeSample.Find(sample.Id);
        Assert.Equal([9, 8], stored.Payload);
        Assert.Equal("ab", stored.Label);
        var empty = Assert.Throws<ArgumentException>(() => Primary.ExecuteRaw(inList, new { ranks = Array.Empty<int>() }));
        Assert.Contains("'ranks'", empty.Message, StringComparison.Ordinal);
    }

    private string InsertSql =>
        $"INSERT INTO {Q("gadgets")} ({Q("name")}, {Q("status")}, {Q("price")}, {Q("rank")}) VALUES ({P("name")}, {P("status")}, {P("price")}, 3)";
}
