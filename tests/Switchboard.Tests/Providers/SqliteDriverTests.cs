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
            ["command_timeout"] = 1, // Microsoft.Data.Sqlite retries a busy or locked statement until the command timeout
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
                ? await Assert.ThrowsAsync<SwitchboardException>(() => other.ExecuteAsync("INSERT INTO t VALUES (2)", null, TestContext.Current.CancellationToken))
                : Assert.Throws<SwitchboardException>(() => other.Execute("INSERT INTO t VALUES (2)"));
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
    public async Task AReadOfATableAnotherConnectionIsWriting_InASharedCacheMemoryDatabase_FailsWithSqliteLocked_Transient()
    {
        using var db = new TestDatabase();
        var connection = db.Registry.Configure("memory", new Dictionary<string, object?> { ["driver"] = "sqlite", ["database"] = ":memory:", ["pool_size"] = 2, ["command_timeout"] = 1 });
        connection.Execute("CREATE TABLE t (x INTEGER)");
        var writer = await connection.Pool.RentAsync(async: true, CancellationToken.None);
        try
        {
            using var begin = writer.Db.CreateCommand();
            begin.CommandText = "BEGIN; INSERT INTO t VALUES (1);";
            begin.ExecuteNonQuery();

            var error = Assert.Throws<SwitchboardException>(() => connection.Scalar<long>("SELECT COUNT(*) FROM t"));

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

        var error = Assert.Throws<SwitchboardException>(() => connection.Execute("INSERT INTO t VALUES (1)"));

        Assert.Equal(19, Assert.IsType<SqliteException>(error.InnerException).SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.False(error.IsTransient);
    }
}
