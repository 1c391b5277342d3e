using Switchboard.Dialects;
using Switchboard.Oracle;
using Switchboard.PostgreSql;
using Switchboard.Querying;
using Switchboard.Sqlite;
using Switchboard.SqlServer;

namespace Switchboard.Tests.Querying;

/// <summary>A list given as one raw-SQL parameter becomes one parameter per value, the same way on every engine.</summary>
public class ListParametersTests
{
    [Fact]
    public void List_IsExpanded_WithParenthesesAddedOrKept()
    {
        var (sql, values) = Expand(new SqliteDialect(), "SELECT 1 WHERE a IN @ids OR b IN ( @IDS ) OR c = @name", new { ids = new[] { 1, 2 }, name = "x" });

        Assert.Equal("SELECT 1 WHERE a IN (@ids_0, @ids_1) OR b IN ( @ids_0, @ids_1 ) OR c = @name", sql);
        Assert.Equal(["ids_0", "ids_1", "name"], values.Select(v => v.Key));
        Assert.Equal(new object?[] { 1, 2, "x" }, values.Select(v => v.Value));
    }

    [Fact]
    public void List_OnOracle_UsesItsPlaceholders_AndOnSqlServerSkipsBracketedNames()
    {
        Assert.Equal("WHERE a IN (:ids_0, :ids_1)", Expand(new OracleDialect(), "WHERE a IN :ids", new { ids = new List<long> { 1, 2 } }).Sql);
        Assert.Equal("WHERE [@ids] IN (@ids_0)", Expand(new SqlServerDialect(), "WHERE [@ids] IN @ids", new { ids = new[] { 1 } }).Sql);
    }

    [Fact]
    public void QuotesCommentsAndDoubleMarkers_AreNeverReadAsParameters()
    {
        const string Text = "SELECT '@ids', \"@ids\", @@ids -- @ids\n/* @ids */ WHERE x IN @ids";

        Assert.Equal("SELECT '@ids', \"@ids\", @@ids -- @ids\n/* @ids */ WHERE x IN (@ids_0)", Expand(new SqliteDialect(), Text, new { ids = new[] { 5 } }).Sql);
    }

    [Fact]
    public void OutsideAnInList_TheCollectionStaysOneParameter()
    {
        var (sql, values) = Expand(new PostgreSqlDialect(), "WHERE id = ANY (@ids) OR id NOT IN @ids OR x = ANY(@ids) OR tags = (@ids) OR pin @ids", new Dictionary<string, object?> { ["@ids"] = new[] { 3, 4 } });
        var tags = CommandParameters.From(new { tags = new[] { "a" } });
        var insert = "INSERT INTO t (tags) VALUES (@tags)";

        Assert.Equal("WHERE id = ANY (@ids) OR id NOT IN (@ids_0, @ids_1) OR x = ANY(@ids) OR tags = (@ids) OR pin @ids", sql);
        Assert.Equal(["@ids", "ids_0", "ids_1"], values.Select(v => v.Key));
        Assert.False(ListParameters.TryExpand(ref insert, ref tags, new PostgreSqlDialect()));
    }

    [Fact]
    public void BytesStringsAndUnusedLists_AreLeftAlone()
    {
        var parameters = CommandParameters.From(new { data = new byte[] { 1, 2 }, text = "abc" });
        var sql = "WHERE d = @data AND t = @text";
        var lists = CommandParameters.From(new { other = new[] { 1 } });

        Assert.False(ListParameters.TryExpand(ref sql, ref parameters, new SqliteDialect()));
        Assert.False(ListParameters.TryExpand(ref sql, ref lists, new SqliteDialect()));
        Assert.Equal("WHERE d = @data AND t = @text", sql);
    }

    [Fact]
    public void ExpandedNames_NeverTakeANameTheCallerGave()
    {
        var (sql, values) = Expand(new SqliteDialect(), "WHERE a IN @ids AND b = @ids_0", new { ids = new[] { 1 }, ids_0 = 9 });

        Assert.Equal("WHERE a IN (@ids__0) AND b = @ids_0", sql);
        Assert.Contains(values, v => v.Key == "ids_0" && Equals(v.Value, 9));
        Assert.Contains(values, v => v.Key == "ids__0" && Equals(v.Value, 1));
    }

    [Fact]
    public void EmptyList_IsRefused_NamingTheParameter()
    {
        var exception = Assert.Throws<ArgumentException>(() => Expand(new SqliteDialect(), "WHERE a NOT IN @ids", new { ids = new List<int>() }));

        Assert.Contains("'ids'", exception.Message, StringComparison.Ordinal);
    }

    private static (string Sql, KeyValuePair<string, object?>[] Values) Expand(SqlDialect dialect, string sql, object parameters)
    {
        var command = CommandParameters.From(parameters);
        Assert.True(ListParameters.TryExpand(ref sql, ref command, dialect));
        return (sql, (KeyValuePair<string, object?>[])command.Source!);
    }
}
