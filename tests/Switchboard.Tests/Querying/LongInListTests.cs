using Switchboard.Dialects;
using Switchboard.Oracle;
using Switchboard.PostgreSql;
using Switchboard.Querying;
using Switchboard.Sqlite;
using Switchboard.SqlServer;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Querying;

/// <summary>
/// IN lists past an engine's limits, as SQL: a parameter each up to 1,000 values, then one parameter read as rows
/// (PostgreSQL's array, SQLite's and SQL Server's JSON), and Oracle's 1,000 items per IN list joined by OR. The live
/// conformance tests run the same lists on SQLite, PostgreSQL and MariaDB.
/// </summary>
public class LongInListTests
{
    private static readonly long[] Thousand = [.. Enumerable.Range(1, 1000).Select(i => (long)i)];
    private static readonly long[] ThousandAndOne = [.. Enumerable.Range(1, 1001).Select(i => (long)i)];

    [Fact]
    public void UpToTheLimit_EachValueIsAParameter()
    {
        var ids = Thousand;
        var (sql, parameters) = DeleteSql("sqlserver", u => ids.Contains(u.Id));

        Assert.StartsWith("DELETE FROM [users] WHERE [Id] IN (@sb_w0, @sb_w1, ", sql, StringComparison.Ordinal);
        Assert.Equal(1000, parameters.Count);
    }

    [Fact]
    public void SqlServer_PastTheLimit_TheListIsOneJsonParameterReadByOpenJson_ButTextStaysAParameterEach()
    {
        var ids = ThousandAndOne;
        var names = Enumerable.Range(0, 1500).Select(i => "n" + i).ToList();
        var (sql, parameters) = DeleteSql("sqlserver", u => ids.Contains(u.Id) && !names.Contains(u.Name));

        Assert.StartsWith(
            "DELETE FROM [users] WHERE ([Id] IN (SELECT value FROM OPENJSON(@sb_w0) WITH (value bigint '$')) AND NOT (([Name] IN (@sb_w1, @sb_w2, ",
            sql,
            StringComparison.Ordinal);
        Assert.Equal(1501, parameters.Count);
        Assert.Equal("[" + string.Join(",", ids) + "]", parameters[0]);
        Assert.Equal("n0", parameters[1]);
    }

    [Fact]
    public void SqlServer_ValuesJsonDoesNotKeepExactly_StayAParameterEach()
    {
        var dialect = new SqlServerDialect();

        Assert.Null(dialect.ListParameterSql("@p", [1.5m, 2.5m]));
        Assert.Null(dialect.ListParameterSql("@p", [DateTime.UtcNow]));
        Assert.Equal("SELECT value FROM OPENJSON(@p) WITH (value uniqueidentifier '$')", dialect.ListParameterSql("@p", [Guid.Empty]));
        Assert.Equal("[\"00000000-0000-0000-0000-000000000000\"]", dialect.ListParameterValue([Guid.Empty]));
    }

    [Fact]
    public void Oracle_PastAThousandItems_ListsOfAThousandAreJoinedByOr()
    {
        var ids = Enumerable.Range(1, 2500).Select(i => (long)i).ToList();
        var (sql, parameters) = DeleteSql("oracle", u => ids.Contains(u.Id));

        Assert.Equal(3, sql.Split(" IN (").Length - 1);
        Assert.Contains(":sb_w999) OR \"Id\" IN (:sb_w1000, ", sql, StringComparison.Ordinal);
        Assert.Contains(":sb_w1999) OR \"Id\" IN (:sb_w2000, ", sql, StringComparison.Ordinal);
        Assert.EndsWith(":sb_w2499))", sql, StringComparison.Ordinal);
        Assert.Equal(2500, parameters.Count);
    }

    [Fact]
    public void Oracle_RawSqlListPastAThousand_IsRefusedNamingTheListAndTheLimit()
    {
        var error = Assert.Throws<ArgumentException>(() => Expand(new OracleDialect(), "WHERE id IN :ids", new { ids = ThousandAndOne }));

        Assert.Contains("'ids' has 1,001 values", error.Message, StringComparison.Ordinal);
        Assert.Contains("at most 1,000 in one IN list", error.Message, StringComparison.Ordinal);
        Assert.Equal("WHERE id IN (:ids_0, :ids_1)", Expand(new OracleDialect(), "WHERE id IN :ids", new { ids = new[] { 1, 2 } }).Sql);
    }

    [Fact]
    public void RawSql_PastTheLimit_TheListIsOneParameter_NamedApartFromTheCallers()
    {
        var ids = ThousandAndOne;

        var postgres = Expand(new PostgreSqlDialect(), "WHERE a IN @ids AND b IN (@ids) AND c = @ids_list", new { ids, ids_list = 1 });
        var sqlite = Expand(new SqliteDialect(), "WHERE a IN @ids", new { ids });

        Assert.Equal("WHERE a IN (SELECT unnest(@ids_list_)) AND b IN (SELECT unnest(@ids_list_)) AND c = @ids_list", postgres.Sql);
        Assert.Equal(["ids_list", "ids_list_"], postgres.Values.Select(v => v.Key).Order());
        Assert.Equal(ids, Assert.IsType<long[]>(postgres.Values.Single(v => v.Key == "ids_list_").Value));
        Assert.Equal("WHERE a IN (SELECT value FROM json_each(@ids_list))", sqlite.Sql);
        Assert.Equal("[" + string.Join(",", ids) + "]", sqlite.Values.Single().Value);
    }

    [Fact]
    public void PostgreSql_AnArrayOfOneType_OtherwiseAParameterEach()
    {
        var dialect = new PostgreSqlDialect();
        object[] mixed = [.. Enumerable.Range(0, 1001).Select(i => i % 2 == 0 ? (object)i : (long)i)];
        var guids = Enumerable.Range(0, 1001).Select(_ => Guid.NewGuid()).ToArray();

        Assert.Null(dialect.ListParameterSql("@p", mixed));
        Assert.Equal("SELECT unnest(@p)", dialect.ListParameterSql("@p", [.. guids.Cast<object>()]));
        Assert.Equal(guids, dialect.ListParameterValue([.. guids.Cast<object>()]));
        Assert.Null(dialect.ListParameterSql("@p", [DateTime.UtcNow, new DateTime(2026, 1, 1)]));
        Assert.Null(dialect.ListParameterSql("@p", [(byte)1, (byte)2])); // a byte[] is bytea to Npgsql, not an array
        Assert.Null(dialect.ListParameterSql("@p", ['a', 'b'])); // a char[] is text
        Assert.IsType<byte[][]>(dialect.ListParameterValue([new byte[] { 1 }, new byte[] { 2 }])); // bytea[]
    }

    [Fact]
    public void Sqlite_JsonKeepsIntegersTextAndBooleans_NotGuidsOrReals()
    {
        var dialect = new SqliteDialect();

        Assert.NotNull(dialect.ListParameterSql("@p", [1L, 2L]));
        Assert.NotNull(dialect.ListParameterSql("@p", ["a\"b", "日本"]));
        Assert.Equal("[1,0]", dialect.ListParameterValue([true, false]));
        Assert.Equal("[\"a\\u0022b\",\"\\u65E5\"]", dialect.ListParameterValue(["a\"b", "日"]));
        Assert.Null(dialect.ListParameterSql("@p", [Guid.NewGuid()]));
        Assert.Null(dialect.ListParameterSql("@p", [1.5]));
        Assert.Null(dialect.ListParameterSql("@p", [1L, "1"]));
    }

    private static (string Sql, List<object?> Parameters) DeleteSql(string driver, System.Linq.Expressions.Expression<Func<User, bool>> predicate)
    {
        using var registry = driver == "oracle" ? new ConnectionRegistry().AddOracle(new FakeProviderFactory()) : new ConnectionRegistry();
        var settings = new Dictionary<string, object?> { ["driver"] = driver, ["host"] = "db.internal", ["username"] = "app", ["password"] = "pw", ["naming"] = "as_declared" };
        settings[driver == "oracle" ? "service_name" : "database"] = driver == "oracle" ? "ORCLPDB1" : "Sales";
        var connection = registry.Configure("db", settings);
        using var activation = registry.Activate();
        var sql = User.Using("db").Where(predicate).DeleteAllSql(connection, out var parameters);
        return (sql, parameters.Values.Select(p => p.Value).ToList());
    }

    private static (string Sql, KeyValuePair<string, object?>[] Values) Expand(SqlDialect dialect, string sql, object parameters)
    {
        var command = CommandParameters.From(parameters);
        Assert.True(ListParameters.TryExpand(ref sql, ref command, dialect));
        return (sql, (KeyValuePair<string, object?>[])command.Source!);
    }
}
