using Switchboard.Tests.Support;

namespace Switchboard.Tests.Connections;

public class ConnectionTests
{
    [Fact]
    public void ExecuteRaw_ReturnsRowsColumnsAndScalar()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary").WithUsers();
        connection.Execute("INSERT INTO users (name, status, age) VALUES ('Ann', 'active', 30), ('Bo', 'active', 41), ('Cy', 'banned', 22)");

        var result = connection.ExecuteRaw("SELECT name, age FROM users WHERE status = @s ORDER BY name", new { s = "active" });

        Assert.Equal(["name", "age"], result.Columns);
        Assert.Equal(2, result.Rows.Count);
        Assert.Equal("Ann", result.Rows[0]["name"]);
        Assert.Equal(41L, result.Rows[1]["AGE"]);
        Assert.Equal("Ann", result.Scalar<string>());
        Assert.Equal(0, result.AffectedRows);
        Assert.Null(result.LastInsertId);
    }

    [Fact]
    public void ExecuteRaw_Insert_ReportsAffectedRowsAndLastInsertId()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary").WithUsers();
        connection.Execute("INSERT INTO users (name, status) VALUES ('a', 'x'), ('b', 'x')");

        var result = connection.ExecuteRaw("INSERT INTO users (name, status) VALUES (@name, @status)", new Dictionary<string, object?> { ["name"] = "c", ["status"] = "y" });

        Assert.Equal(1, result.AffectedRows);
        Assert.Equal(3L, result.LastInsertId);
        Assert.Empty(result.Rows);
        Assert.Equal(2, connection.Execute("UPDATE users SET status = @s WHERE status = 'x'", new { s = "z" }));
    }

    [Fact]
    public void Scalar_ConvertsAndReturnsDefaultWhenThereIsNoRow()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary").WithUsers();
        Assert.Equal(0, connection.Scalar<int>("SELECT COUNT(*) FROM users"));
        Assert.Null(connection.Scalar<string>("SELECT name FROM users WHERE id = 99"));
        Assert.Null(connection.Scalar<long?>("SELECT NULL"));
        Assert.Equal(2.5m, connection.Scalar<decimal>("SELECT 2.5"));
    }

    [Fact]
    public void Parameters_NullValuesAndEnumsAreBound()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary");
        connection.Execute("CREATE TABLE p (a TEXT, b INTEGER)");
        connection.Execute("INSERT INTO p VALUES (@a, @b)", new { a = (string?)null, b = DayOfWeek.Friday });
        var row = connection.ExecuteRaw("SELECT a, b FROM p").Rows.Single();
        Assert.Null(row["a"]);
        Assert.Equal(5L, row["b"]);
    }

    [Fact]
    public async Task AsyncTwins_BehaveLikeTheSyncMethods()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary").WithUsers();
        var token = TestContext.Current.CancellationToken;
        Assert.Equal(1, await connection.ExecuteAsync("INSERT INTO users (name, status) VALUES ('a', 'b')", null, token));
        Assert.Equal(1L, await connection.ScalarAsync<long>("SELECT COUNT(*) FROM users", null, token));
        var result = await connection.ExecuteRawAsync("SELECT * FROM users", null, token);
        Assert.Single(result.Rows);
    }

    [Fact]
    public void SqlError_IsWrappedWithTheConnectionNameAndKeepsTheDriverException()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary");
        var error = Assert.Throws<StatementException>(() => connection.Execute("SELECT * FROM no_such_table"));
        Assert.Equal("primary", error.ConnectionName);
        Assert.Contains("no such table", error.Message);
        Assert.Contains("'primary'", error.Message);
        Assert.IsType<Microsoft.Data.Sqlite.SqliteException>(error.InnerException);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public void SqlError_DoesNotDiscardTheConnection()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary", poolSize: 1);
        connection.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
        connection.Execute("INSERT INTO t VALUES (1)");
        Assert.Throws<StatementException>(() => connection.Execute("INSERT INTO t VALUES (1)"));
        Assert.Throws<StatementException>(() => connection.Execute("SELEC 1"));
        Assert.Equal(1L, connection.Scalar<long>("SELECT COUNT(*) FROM t"));
        Assert.Equal(new PoolStatistics(1, 1, 0, 0, 1, 0, 0, 1), connection.Statistics);
    }

    [Fact]
    public void Disconnect_DiscardsTheConnectionAndIsTransient()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver("disconnecting");
        db.Registry.RegisterDriver(driver);
        var connection = db.Registry.Configure("x", new ConnectionConfig { Driver = "disconnecting", Database = "d", PoolSize = 1 });
        connection.Execute("SELECT 1");
        var physical = connection.Pool.RentAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();
        physical.Db.Close();
        physical.Pool.Return(physical, physical.Lease);

        var error = Assert.Throws<ConnectionException>(() => connection.Execute("SELECT 1"));
        Assert.True(error.IsTransient);
        Assert.Contains("lost", error.Message);
        Assert.Equal(1L, connection.Scalar<long>("SELECT 1"));
        Assert.Equal(2, connection.Statistics.Opened);
        Assert.Equal(1, connection.Statistics.Closed);
    }

    [Fact]
    public void Rows_WrittenOnOneConnection_AreNotVisibleOnAnother()
    {
        using var db = new TestDatabase();
        var a = db.Sqlite("a").WithUsers();
        var b = db.Sqlite("b").WithUsers();
        a.Execute("INSERT INTO users (name, status) VALUES ('only-in-a', 'x')");
        Assert.Equal(1L, a.Scalar<long>("SELECT COUNT(*) FROM users"));
        Assert.Equal(0L, b.Scalar<long>("SELECT COUNT(*) FROM users"));
    }
}
