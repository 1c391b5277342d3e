using System.Linq.Expressions;
using Switchboard.Oracle;
using Switchboard.SqlServer;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Providers;

/// <summary>Golden SQL of the set operations on the engines without a live server here: SQL Server and Oracle.</summary>
public class SetOperationSqlTests
{
    private static readonly Expression<Func<User, int>> Age = u => u.Age;

    private static ConnectionRegistry SqlServer(out Connection connection)
    {
        var registry = new ConnectionRegistry();
        connection = registry.Configure("db", new ConnectionConfig { Driver = "sqlserver", Host = "db.internal", Database = "Sales", Username = "app", Password = "pw", Naming = NamingConvention.AsDeclared });
        return registry;
    }

    private static Dictionary<string, object?> OracleSettings() => new()
    {
        ["driver"] = "oracle",
        ["host"] = "ora.internal",
        ["username"] = "app",
        ["password"] = "pw",
        ["service_name"] = "ORCLPDB1",
        ["naming"] = "as_declared", // golden SQL without a server: no catalog to read
    };

    [Fact]
    public void SqlServer_UpdateAllAndDeleteAll_WriteOneStatementWithParameters()
    {
        using var registry = SqlServer(out var connection);
        using var activation = registry.Activate();
        var query = User.Using("db").Where(u => u.Status == "active");

        var update = query.UpdateAllSql(connection, new { Status = "archived", Email = (string?)null }, out var parameters);
        var delete = query.Where("[Age] > @min", new { min = 3 }).DeleteAllSql(connection, out var deleteParameters);

        Assert.Equal("UPDATE [users] SET [Status] = @sb_w0, [email_address] = @sb_w1 WHERE [Status] = @sb_w2", update);
        Assert.Equal(["archived", null, "active"], parameters.Values.Select(p => p.Value));
        Assert.Equal("DELETE FROM [users] WHERE [Status] = @sb_w0 AND ([Age] > @min)", delete);
        Assert.Equal(["sb_w0", "min"], deleteParameters.Values.Select(p => p.Key));
    }

    [Fact]
    public void SqlServer_PluckAndAggregates_SumIntegersAsBigint_AndAggregateAPageThroughASubquery()
    {
        using var registry = SqlServer(out var connection);
        using var activation = registry.Activate();
        var query = User.Using("db").Where(u => u.Status == "active");
        var page = User.Using("db").OrderByDescending(u => u.Age).Limit(3);
        var age = Query<User>.ColumnOf(connection, Age);
        var name = Query<User>.ColumnOf(connection, (Expression<Func<User, string>>)(u => u.Name));

        Assert.Equal(
            "SELECT [Name] FROM [users] WHERE [Status] = @sb_w0 ORDER BY [Name] ASC OFFSET 0 ROWS FETCH NEXT 5 ROWS ONLY",
            query.OrderBy(u => u.Name).Limit(5).ColumnSql(connection, name, null, out _));
        Assert.Equal("SELECT SUM(CAST([Age] AS BIGINT)) FROM [users] WHERE [Status] = @sb_w0", query.SumSql(connection, age, out _));
        Assert.Equal(
            "SELECT SUM(CAST(sb_value AS BIGINT)) FROM (SELECT [Age] AS sb_value FROM [users] ORDER BY [Age] DESC OFFSET 0 ROWS FETCH NEXT 3 ROWS ONLY) sb_page",
            page.SumSql(connection, age, out _));
        Assert.Equal("SELECT MIN([Age]) FROM [users] WHERE [Status] = @sb_w0", query.ColumnSql(connection, age, "MIN({0})", out _));
        Assert.Equal("SELECT SUM(CAST([Age] AS BIGINT)), COUNT([Age]) FROM [users] WHERE [Status] = @sb_w0", query.MeanSql(connection, age, out _));
        Assert.Equal("SUM([Price])", new SqlServerDialect().Sum("[Price]", typeof(decimal)));
    }

    [Fact]
    public void SqlServer_InsertAll_ReturnsEachKeyWithOutputInserted_WithinTwoThousandParametersAndAThousandRows()
    {
        using var registry = SqlServer(out var connection);
        var mapping = connection.Mappings.For<User>();
        var generated = mapping.InsertPlan(withKey: false).Columns;
        var keyed = mapping.InsertPlan(withKey: true).Columns;

        Assert.Equal(
            "INSERT INTO [users] ([Name], [Status], [email_address], [Age]) OUTPUT INSERTED.[Id] VALUES (@p1_0, @p2_0, @p3_0, @p4_0); "
            + "INSERT INTO [users] ([Name], [Status], [email_address], [Age]) OUTPUT INSERTED.[Id] VALUES (@p1_1, @p2_1, @p3_1, @p4_1)",
            ActiveRecord<User>.InsertBatch.ReturningKeys(mapping, generated, 2).Sql);
        Assert.Equal(
            "INSERT INTO [users] ([Id], [Name], [Status], [email_address], [Age]) VALUES (@p0_0, @p1_0, @p2_0, @p3_0, @p4_0), (@p0_1, @p1_1, @p2_1, @p3_1, @p4_1)",
            ActiveRecord<User>.InsertBatch.MultiRow(mapping, keyed, 2).Sql);
        Assert.Equal(2098 / 4, ActiveRecord<User>.InsertBatch.RowsPerCommand(connection.Dialect, generated.Length, multiRow: false));
        Assert.Equal(2098 / 5, ActiveRecord<User>.InsertBatch.RowsPerCommand(connection.Dialect, keyed.Length, multiRow: true));
        Assert.Equal(1000, ActiveRecord<User>.InsertBatch.RowsPerCommand(connection.Dialect, 1, multiRow: true));
    }

    [Fact]
    public void Oracle_SetOperations_SendColonParameters_AndAggregateThePage()
    {
        var factory = new FakeProviderFactory();
        using var registry = new ConnectionRegistry().AddOracle(factory);
        using var activation = registry.Activate();
        registry.Configure("ora", OracleSettings());
        var query = User.Using("ora").Where(u => u.Age > 3);

        query.UpdateAll(new { Status = "old" });
        query.DeleteAll();
        Assert.Empty(query.Pluck(u => u.Name));
        Assert.Equal(0, query.Sum(u => u.Age));
        Assert.Null(query.Max(u => u.Age));
        Assert.Null(query.Average(u => u.Age));
        User.Using("ora").OrderBy(u => u.Name).Offset(10).Limit(5).Sum(u => u.Age);

        Assert.Equal(
            [
                "UPDATE \"users\" SET \"Status\" = :sb_w0 WHERE \"Age\" > :sb_w1",
                "DELETE FROM \"users\" WHERE \"Age\" > :sb_w0",
                "SELECT \"Name\" FROM \"users\" WHERE \"Age\" > :sb_w0",
                "SELECT SUM(\"Age\") FROM \"users\" WHERE \"Age\" > :sb_w0",
                "SELECT MAX(\"Age\") FROM \"users\" WHERE \"Age\" > :sb_w0",
                "SELECT SUM(\"Age\"), COUNT(\"Age\") FROM \"users\" WHERE \"Age\" > :sb_w0",
                "SELECT SUM(sb_value) FROM (SELECT \"Age\" AS sb_value FROM \"users\" ORDER BY \"Name\" ASC OFFSET 10 ROWS FETCH NEXT 5 ROWS ONLY) sb_page",
            ],
            factory.Commands.Select(c => c.Text));
    }

    [Fact]
    public void Oracle_InsertAll_ReturnsEachGeneratedKeyIntoItsParameter_AndSendsKeyedRowsAsOneInsertSelect_InOneTransaction()
    {
        var factory = new FakeProviderFactory { OutputValue = 42L };
        using var registry = new ConnectionRegistry().AddOracle(factory);
        using var activation = registry.Activate();
        registry.Configure("primary", OracleSettings());
        User[] users = [new() { Name = "a", Status = "s" }, new() { Id = 7, Name = "b", Status = "s" }, new() { Id = 8, Name = "c", Status = "s" }, new() { Name = "d", Status = "s" }];

        // The count is what the engine reports per statement; the fake reports one row for each, a server the rows inserted.
        Assert.Equal(3, User.InsertAll(users));

        Assert.Equal([42L, 7L, 8L, 42L], users.Select(u => u.Id));
        Assert.Equal(
            [
                "INSERT INTO \"users\" (\"Id\", \"Name\", \"Status\", \"email_address\", \"Age\") SELECT :p0_0, :p1_0, :p2_0, :p3_0, :p4_0 FROM DUAL "
                    + "UNION ALL SELECT :p0_1, :p1_1, :p2_1, :p3_1, :p4_1 FROM DUAL",
                "INSERT INTO \"users\" (\"Name\", \"Status\", \"email_address\", \"Age\") VALUES (:p1, :p2, :p3, :p4) RETURNING \"Id\" INTO :sb_key",
                "INSERT INTO \"users\" (\"Name\", \"Status\", \"email_address\", \"Age\") VALUES (:p1, :p2, :p3, :p4) RETURNING \"Id\" INTO :sb_key",
                "COMMIT",
            ],
            factory.Commands.Select(c => c.Text));
        Assert.Equal(["p0_0", "p1_0", "p2_0", "p3_0", "p4_0", "p0_1", "p1_1", "p2_1", "p3_1", "p4_1"], factory.Commands.First().Parameters.Select(p => p.Name));
        Assert.Equal(65535, new OracleDialect().MaxParameters);
    }
}
