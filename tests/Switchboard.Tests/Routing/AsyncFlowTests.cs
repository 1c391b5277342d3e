using Switchboard.Tests.Support;

namespace Switchboard.Tests.Routing;

/// <summary>
/// Issue 8.7: scopes and transactions that cross async flows either work or fail loudly where they are misused; a
/// statement never runs silently on the wrong connection or outside the transaction that was meant to hold it.
/// </summary>
public class AsyncFlowTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static TestDatabase TwoDatabases()
    {
        var db = new TestDatabase();
        foreach (var name in new[] { "primary", "secondary" })
        {
            db.Sqlite(name).WithUsers().Execute("INSERT INTO users (name, status) VALUES (@name, 'x')", new { name });
        }

        return db;
    }

    private static long CountUsers(Connection connection) => connection.Scalar<long>("SELECT COUNT(*) FROM users");

    private static async Task<ConnectionScope> OpenScopeAsync(string name)
    {
        await Task.Yield();
        return User.UsingConnection(name);
    }

    private static async Task<Transaction> BeginAsync(Connection connection, bool write = true)
    {
        var transaction = connection.BeginTransaction();
        if (write)
        {
            await connection.ExecuteAsync("INSERT INTO users (name, status) VALUES ('helper', 'x')", null, Cancel);
        }
        else
        {
            await Task.Yield();
        }

        return transaction;
    }

    [Fact]
    public async Task Scope_DisposedFromAnotherTask_EndsForTheFlowThatOpenedIt()
    {
        using var db = TwoDatabases();
        var scope = User.UsingConnection("secondary");
        Assert.Equal("secondary", User.First().Name);

        await Task.Run(scope.Dispose, Cancel);

        Assert.Equal("primary", User.First().Name);
        scope.Dispose();
    }

    [Fact]
    public async Task Scope_DisposedInAFlowItNeverReached_EndsEverywhere_AndSaysSo()
    {
        using var db = TwoDatabases();
        var scope = User.UsingConnection("secondary");
        Task disposing;
        using (ExecutionContext.SuppressFlow())
        {
            disposing = Task.Run(scope.Dispose, Cancel);
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => disposing);

        Assert.Contains("'secondary'", error.Message, StringComparison.Ordinal);
        Assert.Contains("UsingConnection", error.Message, StringComparison.Ordinal);
        Assert.Equal("primary", User.First().Name);
    }

    [Fact]
    public async Task Scope_OpenedInAnAsyncHelper_IsReportedWhenDisposed_AndEnds()
    {
        using var db = TwoDatabases();
        var error = Assert.Throws<InvalidOperationException>(() =>
        {
            using (OpenScopeAsync("secondary").GetAwaiter().GetResult())
            {
                Assert.Equal("primary", User.First().Name);
            }
        });
        Assert.Contains("async method", error.Message, StringComparison.Ordinal);

        var scope = await OpenScopeAsync("secondary");
        await Assert.ThrowsAsync<InvalidOperationException>(() => Task.Run(scope.Dispose, Cancel));
        Assert.Equal("primary", await Task.Run(() => User.First().Name, Cancel));
    }

    [Fact]
    public void ScopesDisposedOutOfOrder_EachEnds()
    {
        using var db = TwoDatabases();
        var outer = User.UsingConnection("secondary");
        var inner = User.UsingConnection("primary");
        var innermost = User.UsingConnection("secondary");
        inner.Dispose();
        Assert.Equal("secondary", User.First().Name);
        innermost.Dispose();
        Assert.Equal("secondary", User.First().Name);
        outer.Dispose();
        Assert.Equal("primary", User.First().Name);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Transaction_BegunInAnAsyncHelper_NeverLosesARollbackSilently(bool async)
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary").WithUsers();

        // Nothing run inside yet, so that SQLite lets the statement outside write (no write lock is held).
        var transaction = await BeginAsync(connection, write: false);

        // The helper's ambient state did not flow back: this statement runs outside the transaction, on its own.
        connection.Execute("INSERT INTO users (name, status) VALUES ('caller', 'x')");
        var error = async
            ? await Assert.ThrowsAsync<TransactionException>(() => transaction.RollbackAsync(Cancel))
            : Assert.Throws<TransactionException>(transaction.Rollback);

        Assert.Contains("not the ambient transaction of this async flow", error.Message, StringComparison.Ordinal);
        Assert.False(transaction.IsOpen);
        Assert.Equal(["caller"], connection.ExecuteRaw("SELECT name FROM users").Rows.Select(r => (string)r["name"]!));
        Assert.Equal(1, connection.Statistics.Idle);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Transaction_BegunInAnAsyncHelper_RefusesToCommitWhereItWasNotAmbient(bool async)
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary").WithUsers();
        var transaction = await BeginAsync(connection);

        var error = async
            ? await Assert.ThrowsAsync<TransactionException>(() => transaction.CommitAsync(Cancel))
            : Assert.Throws<TransactionException>(transaction.Commit);

        Assert.Contains("rolled back", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, CountUsers(connection));
    }

    [Fact]
    public async Task Transaction_DisposedWhereItWasNotAmbient_RollsBackAndSaysSo()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary").WithUsers();
        var transaction = await BeginAsync(connection);

        await Assert.ThrowsAsync<TransactionException>(() => transaction.DisposeAsync().AsTask());

        Assert.Equal(0L, CountUsers(connection));
        Assert.Equal(1, connection.Statistics.Idle);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Transaction_UsedExplicitly_BindsItsStatementsInTheFlowThatUsesIt(bool async)
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary").WithUsers();
        var transaction = await BeginAsync(connection);

        if (async)
        {
            await transaction.ExecuteAsync("INSERT INTO users (name, status) VALUES (@name, 'x')", new { name = "explicit" }, Cancel);
            await new User { Name = "model", Status = "x" }.SaveAsync(Cancel);
            Assert.Equal(3L, await transaction.ScalarAsync<long>("SELECT COUNT(*) FROM users", null, Cancel));
            await transaction.RollbackAsync(Cancel);
        }
        else
        {
            transaction.Execute("INSERT INTO users (name, status) VALUES (@name, 'x')", new { name = "explicit" });
            new User { Name = "model", Status = "x" }.Save();
            Assert.Equal(3L, transaction.Scalar<long>("SELECT COUNT(*) FROM users"));
            transaction.Rollback();
        }

        Assert.Equal(0L, CountUsers(connection));
    }

    [Fact]
    public async Task Transaction_UsedExplicitlyInAnotherTask_RunsInsideIt()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary", poolSize: 1).WithUsers();
        await using var transaction = connection.BeginTransaction();
        connection.Execute("INSERT INTO users (name, status) VALUES ('mine', 'x')");

        var seen = await Task.Run(
            () =>
            {
                using (ExecutionContext.SuppressFlow())
                {
                    return Task.Run(() => transaction.ExecuteRaw("SELECT COUNT(*) AS n FROM users").Rows[0]["n"], Cancel);
                }
            },
            Cancel);

        Assert.Equal(1L, seen);
        await transaction.CommitAsync(Cancel);
        Assert.Equal(1L, CountUsers(connection));
    }
}
