using Switchboard.Tests.Support;

namespace Switchboard.Tests.Providers;

/// <summary>
/// SQLite's generated statements bind their parameters by the full name their SQL writes (<c>@key</c>), which
/// Microsoft.Data.Sqlite finds at its first lookup; raw SQL still binds whichever marker the caller wrote.
/// </summary>
public class SqliteParameterNameTests
{
    [Fact]
    public void GeneratedNamesCarryTheMarker_AndRawSqlStillBindsEveryMarker()
    {
        using var db = new TestDatabase();
        var connection = db.Registry.Configure("main", new Dictionary<string, object?> { ["driver"] = "sqlite", ["database"] = db.File("names.db") });
        Assert.Equal("@key", connection.Dialect.GeneratedParameterName("key"));
        Assert.Equal("key", connection.Dialect.ParameterName("key"));

        connection.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        connection.Execute("INSERT INTO t (id, v) VALUES (1, 'one'), (2, 'two')");
        Assert.Equal("two", connection.Scalar<string>("SELECT v FROM t WHERE id = $id", new { id = 2 }));
        Assert.Equal("one", connection.Scalar<string>("SELECT v FROM t WHERE id = :id", new { id = 1 }));
        Assert.Equal("two", connection.Scalar<string>("SELECT v FROM t WHERE id = @id", new { id = 2 }));
    }
}
