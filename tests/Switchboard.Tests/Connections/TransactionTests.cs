using System.Data;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Connections;

public class TransactionTests
{
    private static long CountUsers(Connection connection) => connection.Scalar<long>("SELECT COUNT(*) FROM users");

    /// <summary>Runs work on a thread that does not inherit this flow's ambient transaction.</summary>
    private static T OutsideThisFlow<T>(Func<T> work)
    {
        // A thread of its own: a Task could be inlined on this thread and so see this flow's context after all.
        T result = default!;
        var thread = new Thread(() => result = work());
        using (ExecutionContext.SuppressFlow())
        {
            thread.Start();
        }

        thread.Join();
        return result;
    }

    [Fact]
    public void Commit_KeepsTheWork_DisposeWithoutCommitRollsBack()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary").WithUsers();
        using (var transaction = new Transaction(connection))
        {
            connection.Execute("INSERT INTO users (name, status) VALUES ('kept', 'x')");
            transaction.Commit();
        }

        using (new Transaction(connection))
        {
            connection.Execute("INSERT INTO users (name, status) VALUES ('lost', 'x')");
        }

        Assert.Equal(["kept"], connection.ExecuteRaw("SELECT name FROM users").Rows.Select(r => (string)r["name"]!));
    }

    [Fact]
    public void Models_JoinTheAmbientTransaction()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary", poolSize: 1).WithUsers();
        using (var transaction = new Transaction(connection))
        {
            new User { Name = "Bo", Status = "active" }.Save();
            Assert.Equal(1, User.Count());
            Assert.Equal(1, connection.Statistics.InUse);
            transaction.Rollback();
        }

        Assert.Equal(0, User.Count());
    }

    [Fact]
    public void Transaction_IsInvisibleToOtherConnectionsUntilCommitted()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary", poolSize: 2).WithUsers();
        using var transaction = new Transaction(connection);
        connection.Execute("INSERT INTO users (name, status) VALUES ('pending', 'x')");

        Assert.Equal(0L, OutsideThisFlow(() => CountUsers(connection)));
        transaction.Commit();
        Assert.Equal(1L, OutsideThisFlow(() => CountUsers(connection)));
    }

    [Fact]
    public void LambdaForm_CommitsOnReturnAndRollsBackOnException()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary").WithUsers();
        connection.Transaction(() => connection.Execute("INSERT INTO users (name, status) VALUES ('a', 'x')"));
        Assert.Throws<InvalidOperationException>(() => connection.Transaction(() =>
        {
            connection.Execute("INSERT INTO users (name, status) VALUES ('b', 'x')");
            throw new InvalidOperationException("boom");
        }));
        var id = connection.Transaction(() => connection.ExecuteRaw("INSERT INTO users (name, status) VALUES ('c', 'x')").LastInsertId);

        Assert.Equal(2L, CountUsers(connection));
        Assert.Equal(2L, id);
    }

    [Fact]
    public async Task AsyncLambdaForm_CommitsOnReturnAndRollsBackOnException()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary").WithUsers();
        await connection.TransactionAsync(async () =>
        {
            await new User { Name = "a", Status = "x" }.SaveAsync();
            await connection.ExecuteAsync("INSERT INTO users (name, status) VALUES ('b', 'x')");
        });
        await Assert.ThrowsAsync<InvalidOperationException>(() => connection.TransactionAsync(async () =>
        {
            await connection.ExecuteAsync("INSERT INTO users (name, status) VALUES ('c', 'x')");
            throw new InvalidOperationException("boom");
        }));
        var count = await connection.TransactionAsync(() => User.CountAsync());

        Assert.Equal(2L, count);
        Assert.Equal(0, connection.Statistics.InUse);
    }

    [Fact]
    public void Nested_IsASavepoint_RolledBackAloneWhileTheOuterCommits()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary").WithUsers();
        using (var outer = new Transaction(connection))
        {
            connection.Execute("INSERT INTO users (name, status) VALUES ('outer', 'x')");
            using (var inner = new Transaction(connection))
            {
                Assert.True(inner.IsNested);
                connection.Execute("INSERT INTO users (name, status) VALUES ('inner', 'x')");
                Assert.Equal(2L, CountUsers(connection));
            }

            using (var kept = new Transaction(connection))
            {
                connection.Execute("INSERT INTO users (name, status) VALUES ('kept', 'x')");
                kept.Commit();
            }

            outer.Commit();
        }

        Assert.Equal(["kept", "outer"], connection.ExecuteRaw("SELECT name FROM users ORDER BY name").Rows.Select(r => (string)r["name"]!));
    }

    [Fact]
    public void NestedLambda_ThatThrows_RollsBackToItsSavepointOnly()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary").WithUsers();
        connection.Transaction(() =>
        {
            connection.Execute("INSERT INTO users (name, status) VALUES ('outer', 'x')");
            try
            {
                connection.Transaction(() =>
                {
                    connection.Execute("INSERT INTO users (name, status) VALUES ('inner', 'x')");
                    throw new InvalidOperationException("inner failed");
                });
            }
            catch (InvalidOperationException)
            {
            }
        });

        Assert.Equal(1L, CountUsers(connection));
    }

    [Fact]
    public void CompletedTransaction_CannotBeCommittedAgain_AndLaterWorkUsesThePool()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary").WithUsers();
        using var transaction = new Transaction(connection);
        connection.Execute("INSERT INTO users (name, status) VALUES ('a', 'x')");
        transaction.Commit();
        var error = Assert.Throws<TransactionException>(() => transaction.Commit());
        Assert.Contains("already been committed", error.Message);
        Assert.Throws<TransactionException>(() => transaction.Rollback());

        connection.Execute("INSERT INTO users (name, status) VALUES ('b', 'x')");
        Assert.Equal(2L, CountUsers(connection));
    }

    [Fact]
    public void UnusedTransaction_TakesNoConnection()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary");
        using (var transaction = new Transaction(connection))
        {
            transaction.Commit();
        }

        Assert.Equal(0, connection.Statistics.Opened);
    }

    [Theory]
    [InlineData(IsolationLevel.Serializable)]
    [InlineData(IsolationLevel.ReadCommitted)]
    [InlineData(IsolationLevel.ReadUncommitted)]
    public void IsolationLevel_SupportedByTheEngine_IsAccepted(IsolationLevel level)
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary").WithUsers();
        var other = db.Registry.Configure("other", new Dictionary<string, object?> { ["driver"] = "sqlite", ["database"] = db.File("primary.db"), ["busy_timeout"] = 0.1 });
        connection.Transaction(
            () =>
            {
                // SQLite runs every level serializable: dirty reads off, and one writer at a time (READ UNCOMMITTED begins
                // deferred, so its write lock comes with its first write rather than at BEGIN).
                Assert.Equal(0L, connection.Scalar<long>("PRAGMA read_uncommitted"));
                connection.Execute("INSERT INTO users (name, status) VALUES ('a', 'x')");
                var busy = Assert.Throws<StatementException>(() => other.Execute("INSERT INTO users (name, status) VALUES ('b', 'x')"));
                Assert.True(busy.IsTransient);
            },
            level);
        Assert.Equal(1L, CountUsers(connection));
    }

    [Fact]
    public void IsolationLevel_TheEngineLacks_IsAClearError()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary");
        var error = Assert.Throws<TransactionException>(() => new Transaction(connection, IsolationLevel.Snapshot));
        Assert.Contains("has no Snapshot isolation level", error.Message);
        Assert.Contains("Serializable", error.Message);
    }

    [Fact]
    public void NestedTransaction_WithADifferentIsolationLevel_IsRefused()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary");
        using var outer = new Transaction(connection, IsolationLevel.Serializable);
        Assert.Throws<TransactionException>(() => new Transaction(connection, IsolationLevel.ReadCommitted));
    }

    [Fact]
    public async Task AmbientTransaction_IsPerAsyncFlow()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary", poolSize: 3).WithUsers();
        using var transaction = new Transaction(connection);
        connection.Execute("INSERT INTO users (name, status) VALUES ('in-tx', 'x')");

        // A flow started without the transaction's context does not join it; one that inherits the context does.
        Assert.Equal(0L, OutsideThisFlow(() => CountUsers(connection)));
        Assert.Equal(1L, await Task.Run(() => CountUsers(connection), TestContext.Current.CancellationToken));
        Assert.Equal(1L, CountUsers(connection));
    }

    [Fact]
    public async Task TwoStatementsAtOnceInOneTransaction_AreRefusedClearly()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary");
        connection.Execute("CREATE TABLE t (x INTEGER)");
        await using var transaction = new Transaction(connection);
        await connection.ExecuteAsync("INSERT INTO t VALUES (0)", null, TestContext.Current.CancellationToken);
        var physical = await transaction.BeginOperationAsync(async: true, CancellationToken.None);
        try
        {
            var error = await Assert.ThrowsAsync<TransactionException>(() => connection.ExecuteAsync("INSERT INTO t VALUES (1)", null, TestContext.Current.CancellationToken));
            Assert.Contains("await each statement", error.Message);
        }
        finally
        {
            transaction.EndOperation();
        }

        Assert.NotNull(physical);
    }

    [Fact]
    public void TransactionOnOneConnection_DoesNotCaptureAnother()
    {
        using var db = new TestDatabase();
        var a = db.Sqlite("a").WithUsers();
        var b = db.Sqlite("b").WithUsers();
        using (new Transaction(a))
        {
            a.Execute("INSERT INTO users (name, status) VALUES ('a', 'x')");
            b.Execute("INSERT INTO users (name, status) VALUES ('b', 'x')");
        }

        Assert.Equal(0L, CountUsers(a));
        Assert.Equal(1L, CountUsers(b));
    }
}
