using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Switchboard.Dialects;
using Switchboard.MySql;
using Switchboard.Oracle;
using Switchboard.Pooling;
using Switchboard.PostgreSql;
using Switchboard.Sqlite;
using Switchboard.SqlServer;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Connections;

/// <summary>
/// Issue 8.1 and 9.1 without a server: each engine's rule for what a failed statement does to its transaction, SQLite's
/// whole-transaction rollback live, the conservative default, and a connection lost at COMMIT discarded like any lost one.
/// </summary>
public class TransactionFailureTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static List<string> Names(Connection connection) =>
        [.. connection.ExecuteRaw("SELECT name FROM users ORDER BY name").Rows.Select(r => (string)r["name"]!)];

    private static Connection Fake(TestDatabase db, FakeDriver driver, int poolSize = 3)
    {
        db.Registry.RegisterDriver(driver);
        return db.Registry.Configure("fake", new Dictionary<string, object?>
        {
            ["driver"] = driver.Name, ["database"] = "fake", ["pool_size"] = poolSize, ["pool_timeout"] = 5, ["pool_pre_ping"] = "never",
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SqliteTriggerRaisingRollback_EndsTheTransaction_SoLaterStatementsAreRefusedNotRunOnTheirOwn(bool async)
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary").WithUsers();
        connection.Execute("CREATE TABLE guarded (x INTEGER)");
        connection.Execute("CREATE TRIGGER guard BEFORE INSERT ON guarded BEGIN SELECT RAISE(ROLLBACK, 'refused by the guard'); END");

        var transaction = connection.BeginTransaction();
        await using (transaction)
        {
            connection.Execute("INSERT INTO users (name, status) VALUES ('before', 'x')");
            var failure = Assert.ThrowsAny<SwitchboardException>(() => connection.Execute("INSERT INTO guarded VALUES (1)"));

            // SQLite rolled the whole transaction back: a later statement would otherwise be committed on its own.
            var refused = Assert.Throws<TransactionException>(() => connection.Execute("INSERT INTO users (name, status) VALUES ('after', 'x')"));
            var commit = async
                ? await Assert.ThrowsAsync<TransactionException>(() => transaction.CommitAsync(Cancel))
                : Assert.Throws<TransactionException>(transaction.Commit);

            Assert.Same(failure, refused.InnerException);
            Assert.Same(failure, commit.InnerException);
            Assert.Contains("not committed", commit.Message, StringComparison.Ordinal);
        }

        Assert.Empty(Names(connection));
        Assert.Equal(0, connection.Statistics.InUse);
    }

    [Fact]
    public void SqliteConstraintError_UndoesOnlyTheStatement()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary").WithUsers();
        using (var transaction = connection.BeginTransaction())
        {
            connection.Execute("INSERT INTO users (name, status) VALUES ('kept', 'x')");
            Assert.ThrowsAny<SwitchboardException>(() => connection.Execute("INSERT INTO users (name, status) VALUES (NULL, 'x')"));
            connection.Execute("INSERT INTO users (name, status) VALUES ('after', 'x')");
            transaction.Commit();
        }

        Assert.Equal(["after", "kept"], Names(connection));
    }

    [Fact]
    public void EngineWithoutARule_CountsEveryFailureAsAborting_AndASavepointRollbackRecovers()
    {
        using var db = new TestDatabase();
        var connection = Fake(db, new FakeDriver()).WithUsers();
        using (var outer = connection.BeginTransaction())
        {
            connection.Execute("INSERT INTO users (name, status) VALUES ('outer', 'x')");
            Assert.ThrowsAny<SwitchboardException>(() => connection.Transaction(() => connection.Execute("INSERT INTO users (name, status) VALUES (NULL, 'x')")));
            connection.Execute("INSERT INTO users (name, status) VALUES ('after', 'x')");
            outer.Commit();
        }

        using (var transaction = connection.BeginTransaction())
        {
            connection.Execute("INSERT INTO users (name, status) VALUES ('dropped', 'x')");
            Assert.ThrowsAny<SwitchboardException>(() => connection.Execute("INSERT INTO users (name, status) VALUES (NULL, 'x')"));
            Assert.Throws<TransactionException>(transaction.Commit);
        }

        Assert.Equal(["after", "outer"], Names(connection));
    }

    [Fact]
    public async Task ConnectionLostAtCommit_IsDiscardedWithTheOlderIdleOnes_AndTheOutcomeIsReportedUnknown()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        var connection = Fake(db, driver);
        connection.Execute("CREATE TABLE t (x INTEGER)");
        var older = await connection.Pool.RentAsync(async: true, Cancel);
        var newer = await connection.Pool.RentAsync(async: true, Cancel);
        newer.Pool.Return(newer, newer.Lease);

        var transaction = connection.BeginTransaction();
        connection.Execute("INSERT INTO t VALUES (1)");
        older.Pool.Return(older, older.Lease);
        driver.KillAll();
        var error = Assert.Throws<TransactionException>(transaction.Commit);
        transaction.Dispose();

        Assert.False(error.IsTransient);
        Assert.Contains("unknown", error.Message, StringComparison.Ordinal);
        Assert.Equal((0, 0), (connection.Statistics.Size, connection.Statistics.Idle));
        connection.Execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)");
    }

    [Fact]
    public async Task ConnectionLostAtASavepoint_IsDiscarded_AndTheTransactionRunsNothingMore()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        var connection = Fake(db, driver);
        connection.Execute("CREATE TABLE t (x INTEGER)");
        var older = await connection.Pool.RentAsync(async: true, Cancel);
        var newer = await connection.Pool.RentAsync(async: true, Cancel);
        newer.Pool.Return(newer, newer.Lease);

        using (var transaction = connection.BeginTransaction())
        {
            connection.Execute("INSERT INTO t VALUES (1)");
            older.Pool.Return(older, older.Lease);
            driver.KillAll();
            using (connection.BeginTransaction())
            {
                var lost = Assert.Throws<ConnectionException>(() => connection.Execute("INSERT INTO t VALUES (2)"));
                Assert.True(lost.IsTransient);
            }

            Assert.Same(
                Assert.Throws<TransactionException>(() => connection.Execute("INSERT INTO t VALUES (3)")).InnerException,
                Assert.Throws<TransactionException>(transaction.Commit).InnerException);
        }

        Assert.Equal((0, 0), (connection.Statistics.Size, connection.Statistics.Idle));
        Assert.Equal(0L, connection.Scalar<long>("SELECT COUNT(*) FROM t"));
    }

    [Fact]
    public void PostgreSql_AnyServerErrorAborts_AnyOtherFailureLosesTheTransaction()
    {
        var driver = new PostgreSqlDriver();
        using var connection = new NpgsqlConnection();
        Assert.Equal(TransactionFailureEffect.TransactionAborted, driver.EffectOnTransaction(new PostgresException("dup", "ERROR", "ERROR", "23505"), connection));
        Assert.Equal(TransactionFailureEffect.TransactionAborted, driver.EffectOnTransaction(new PostgresException("cancel", "ERROR", "ERROR", "57014"), connection));
        Assert.Equal(TransactionFailureEffect.TransactionRolledBack, driver.EffectOnTransaction(new NpgsqlException("read timeout", new TimeoutException()), connection));
    }

    [Fact]
    public void MySql_OnlyADeadlockRollsTheTransactionBack()
    {
        // MySqlException has no public constructor: the list is checked here, the deadlock itself live against MariaDB.
        Assert.Contains(1213, MySqlErrors.TransactionRollbackNumbers);
        Assert.DoesNotContain(1205, MySqlErrors.TransactionRollbackNumbers);
        Assert.DoesNotContain(1062, MySqlErrors.TransactionRollbackNumbers);
    }

    [Theory]
    [InlineData(1205, 13, TransactionFailureEffect.TransactionRolledBack)] // deadlock victim
    [InlineData(3960, 16, TransactionFailureEffect.TransactionRolledBack)] // snapshot update conflict
    [InlineData(3930, 16, TransactionFailureEffect.TransactionRolledBack)] // doomed transaction
    [InlineData(50000, 20, TransactionFailureEffect.TransactionRolledBack)] // severity 20 ends the session
    [InlineData(-2, 11, TransactionFailureEffect.TransactionAborted)] // client timeout: the batch stopped midway
    [InlineData(2627, 14, TransactionFailureEffect.StatementUndone)] // unique key
    [InlineData(547, 16, TransactionFailureEffect.StatementUndone)] // constraint conflict
    [InlineData(1222, 16, TransactionFailureEffect.StatementUndone)] // lock request timeout
    public void SqlServer_WithoutXactAbort_DeadlocksAndDoomedTransactionsRollBack_MostErrorsEndOnlyTheStatement(int number, byte severity, TransactionFailureEffect effect)
    {
        // SqlException has no public constructor: the rule is tested on numbers, which the driver reads from SqlException.Errors.
        Assert.Equal(effect, SqlServerErrors.EffectOnTransaction([(number, severity)]));
    }

    [Fact]
    public void Oracle_RollsBackOnlyTheStatement_EvenForADeadlock()
    {
        using var connection = new SqliteConnection();
        Assert.Equal(TransactionFailureEffect.StatementUndone, new OracleDriver().EffectOnTransaction(new ProviderException("ORA-00060: deadlock detected"), connection));
        Assert.Equal(TransactionFailureEffect.StatementUndone, new OracleDriver().EffectOnTransaction(new ProviderException("ORA-00001: unique constraint violated"), connection));
    }

    [Fact]
    public void Sqlite_TellsFromTheConnectionWhetherTheTransactionSurvived()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var driver = new SqliteDriver();
        var error = new ProviderException("constraint");
        Assert.Equal(TransactionFailureEffect.TransactionRolledBack, driver.EffectOnTransaction(error, connection));
        using var transaction = connection.BeginTransaction();
        Assert.Equal(TransactionFailureEffect.StatementUndone, driver.EffectOnTransaction(error, connection));
    }

    private sealed class ProviderException(string message) : DbException(message);
}
