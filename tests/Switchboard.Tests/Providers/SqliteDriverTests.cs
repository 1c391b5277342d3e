using Microsoft.Data.Sqlite;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Providers;

/// <summary>
/// SQLite's transient errors, produced for real: SQLITE_BUSY (another connection holds the write lock past
/// <c>busy_timeout</c>) and SQLITE_LOCKED (a table locked by another connection of a shared-cache memory database)
/// are transient; an ordinary SQL error is not.
/// </summary>
public class SqliteDriverTests
{
    private const int Busy = 5;
    private const int Locked = 6;

    private static Connection File(TestDatabase db, string name) =>
        db.Registry.Configure(name, new Dictionary<string, object?>
        {
            ["driver"] = "sqlite",
            ["database"] = db.File("shared.db"),
            ["busy_timeout"] = 0.1,
        });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AWrite_WhileAnotherConnectionHoldsTheWriteLock_FailsWithSqliteBusy_Transient(bool async)
    {
        using var db = new TestDatabase();
        var holder = File(db, "holder");
        var other = File(db, "other");
        holder.Execute("CREATE TABLE t (x INTEGER)");

        SwitchboardException error;
        using (var transaction = new Transaction(holder))
        {
            holder.Execute("INSERT INTO t VALUES (1)");
            error = async
                ? await Assert.ThrowsAsync<StatementException>(() => other.ExecuteAsync("INSERT INTO t VALUES (2)", null, TestContext.Current.CancellationToken))
                : Assert.Throws<StatementException>(() => other.Execute("INSERT INTO t VALUES (2)"));
            transaction.Commit();
        }

        Assert.Equal(Busy, Assert.IsType<SqliteException>(error.InnerException).SqliteErrorCode);
        Assert.True(error.IsTransient);
        Assert.IsNotType<ConnectionException>(error);

        // Transient indeed: the same write succeeds once the lock is gone, on the connection that failed.
        Assert.Equal(1, other.Execute("INSERT INTO t VALUES (2)"));
        Assert.Equal(1, other.Statistics.Opened);
    }

    [Fact]
    public void AWrite_WhileAnotherConnectionHoldsTheWriteLock_WaitsAboutBusyTimeout_NotCommandTimeout()
    {
        using var db = new TestDatabase();
        Connection Configure(string name) => db.Registry.Configure(name, new Dictionary<string, object?>
        {
            ["driver"] = "sqlite", ["database"] = db.File("busy.db"), ["busy_timeout"] = 0.2, ["command_timeout"] = 30,
        });
        var holder = Configure("holder");
        var other = Configure("other");
        holder.Execute("CREATE TABLE t (x INTEGER)");

        using var transaction = new Transaction(holder);
        holder.Execute("INSERT INTO t VALUES (1)");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<StatementException>(() => other.Execute("INSERT INTO t VALUES (2)"));
        watch.Stop();

        Assert.Equal(Busy, Assert.IsType<SqliteException>(error.InnerException).SqliteErrorCode);

        // busy_timeout (0.2 s), rounded up to Microsoft.Data.Sqlite's whole-second retry bound: far below command_timeout.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"A blocked write waited {watch.Elapsed}, past busy_timeout.");
    }

    [Fact]
    public async Task AReadOfATableAnotherConnectionIsWriting_InASharedCacheMemoryDatabase_FailsWithSqliteLocked_Transient()
    {
        using var db = new TestDatabase();
        var connection = db.Registry.Configure("memory", new Dictionary<string, object?> { ["driver"] = "sqlite", ["database"] = ":memory:", ["pool_size"] = 2, ["busy_timeout"] = 0.1 });
        connection.Execute("CREATE TABLE t (x INTEGER)");
        var writer = await connection.Pool.RentAsync(async: true, CancellationToken.None);
        try
        {
            using var begin = writer.Db.CreateCommand();
            begin.CommandText = "BEGIN; INSERT INTO t VALUES (1);";
            begin.ExecuteNonQuery();

            var error = Assert.Throws<StatementException>(() => connection.Scalar<long>("SELECT COUNT(*) FROM t"));

            Assert.Equal(Locked, Assert.IsType<SqliteException>(error.InnerException).SqliteErrorCode);
            Assert.True(error.IsTransient);
        }
        finally
        {
            using var rollback = writer.Db.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
            writer.Pool.Return(writer, writer.Lease);
        }

        Assert.Equal(0L, connection.Scalar<long>("SELECT COUNT(*) FROM t"));
    }

    [Fact]
    public void AConstraintViolation_IsNotTransient()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("plain");
        connection.Execute("CREATE TABLE t (x INTEGER PRIMARY KEY)");
        connection.Execute("INSERT INTO t VALUES (1)");

        var error = Assert.Throws<StatementException>(() => connection.Execute("INSERT INTO t VALUES (1)"));

        Assert.Equal(19, Assert.IsType<SqliteException>(error.InnerException).SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.False(error.IsTransient);
    }
}
