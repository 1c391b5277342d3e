using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Connections;

/// <summary><c>Configure(name, ..., replace: true)</c> is a graceful hand-over: no statement fails because of it.</summary>
public class ConnectionReplaceTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static Connection Replace(TestDatabase db, string name, int poolSize) =>
        db.Registry.Configure(
            name,
            new Dictionary<string, object?> { ["driver"] = "sqlite", ["database"] = db.File(name + ".db"), ["pool_size"] = poolSize, ["pool_timeout"] = 30 },
            replace: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Replace_UnderLoad_NoStatementFails_AndEveryWriteIsStored(bool async)
    {
        using var db = new TestDatabase();
        var first = db.Sqlite("primary", poolSize: 2, poolTimeoutSeconds: 30);
        first.Execute("CREATE TABLE hits (worker INTEGER NOT NULL, n INTEGER NOT NULL)");
        const int Workers = 8;
        const int PerWorker = 120;
        var failures = new ConcurrentQueue<Exception>();
        var progress = 0;
        var replaced = false;

        // Each worker keeps going until every replace has landed, so the replaces always meet a running load.
        async Task Work(int worker)
        {
            for (var n = 0; n < PerWorker || !Volatile.Read(ref replaced); n++)
            {
                try
                {
                    // Half the workers keep the Connection object they had before any replace; half resolve it by name.
                    var connection = worker % 2 == 0 ? first : db.Registry.GetConnection("primary");
                    if (async)
                    {
                        await connection.ExecuteAsync("INSERT INTO hits VALUES (@w, @n)", new { w = worker, n });
                    }
                    else
                    {
                        connection.Execute("INSERT INTO hits VALUES (@w, @n)", new { w = worker, n });
                    }
                }
                catch (Exception exception)
                {
                    failures.Enqueue(exception);
                }

                Interlocked.Increment(ref progress);
            }
        }

        var load = Enumerable.Range(0, Workers).Select(w => Task.Run(() => Work(w), Cancel)).ToArray();
        for (var round = 1; round <= 5; round++)
        {
            while (Volatile.Read(ref progress) < Workers * PerWorker * round / 7)
            {
                await Task.Delay(2, Cancel);
            }

            Replace(db, "primary", poolSize: 1 + round % 3);
        }

        Volatile.Write(ref replaced, true);
        await Task.WhenAll(load);

        Assert.Empty(failures.Select(f => f.GetType().Name + ": " + f.Message).Distinct());
        Assert.True(progress >= Workers * PerWorker);
        Assert.Equal(progress, db.Registry.GetConnection("primary").Scalar<long>("SELECT COUNT(*) FROM hits"));
        Assert.Equal(0, first.Statistics.Size);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Replace_WaiterQueuedOnAPoolOfOne_IsServedByTheNewPool(bool async)
    {
        using var db = new TestDatabase();
        var old = db.Sqlite("primary", poolSize: 1, poolTimeoutSeconds: 30);
        old.Execute("CREATE TABLE items (id INTEGER NOT NULL)");
        var held = await old.Pool.RentAsync(async: true, Cancel);
        var waiter = async
            ? old.ExecuteAsync("INSERT INTO items VALUES (1)", cancellationToken: Cancel)
            : Task.Factory.StartNew(() => old.Execute("INSERT INTO items VALUES (1)"), Cancel, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        while (old.Statistics.Waiting == 0)
        {
            await Task.Delay(2, Cancel);
        }

        var replacement = Replace(db, "primary", poolSize: 1);

        Assert.Equal(1, await waiter.WaitAsync(TimeSpan.FromSeconds(10), Cancel));
        Assert.Equal(1, replacement.Statistics.Size);
        Assert.Equal(1, old.Statistics.InUse);
        held.Pool.Return(held, held.Lease);
        Assert.Equal(0, old.Statistics.Size);
        Assert.Equal(1, replacement.Scalar<long>("SELECT COUNT(*) FROM items"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Replace_DuringATransactionOnTheOldConnection_TheTransactionFinishesOnItsConnection(bool async)
    {
        using var db = new TestDatabase();
        var old = db.Sqlite("primary", poolSize: 2);
        old.Execute("CREATE TABLE items (id INTEGER NOT NULL)");
        var transaction = old.BeginTransaction();
        if (async)
        {
            await old.ExecuteAsync("INSERT INTO items VALUES (1)", cancellationToken: Cancel);
        }
        else
        {
            old.Execute("INSERT INTO items VALUES (1)");
        }

        var replacement = Replace(db, "primary", poolSize: 3);
        Assert.Equal(1, async ? await old.ExecuteAsync("INSERT INTO items VALUES (2)", cancellationToken: Cancel) : old.Execute("INSERT INTO items VALUES (2)"));
        if (async)
        {
            await transaction.CommitAsync(Cancel);
            await transaction.DisposeAsync();
        }
        else
        {
            transaction.Commit();
            transaction.Dispose();
        }

        Assert.Equal(2, replacement.Scalar<long>("SELECT COUNT(*) FROM items"));
        Assert.Equal(0, old.Statistics.Size);

        // A new statement or transaction through the old object runs on the replacement's pool.
        old.Transaction(() => old.Execute("INSERT INTO items VALUES (3)"));
        Assert.Equal(3, old.Scalar<long>("SELECT COUNT(*) FROM items"));
        Assert.Equal(0, old.Statistics.Size);
        Assert.True(replacement.Statistics.Opened >= 1);
    }

    [Fact]
    public void Dispose_AfterReplace_TheOldObjectSaysDisposed()
    {
        using var db = new TestDatabase();
        var old = db.Sqlite("primary");
        Replace(db, "primary", poolSize: 2);

        db.Registry.Dispose("primary");

        var error = Assert.Throws<ConnectionException>(() => old.Execute("SELECT 1"));
        Assert.Contains("has been disposed", error.Message, StringComparison.Ordinal);
        Assert.Throws<ConnectionException>(() => db.Registry.GetConnection("primary"));
    }

    [Fact]
    public async Task Replace_WaiterHandedToTheNewPool_KeepsItsOriginalPoolTimeoutDeadline()
    {
        var clock = new FakeTimeProvider();
        using var db = new TestDatabase(clock);
        var opening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var driver = new FakeDriver();
        db.Registry.RegisterDriver(driver);
        Dictionary<string, object?> Settings() => new() { ["driver"] = driver.Name, ["database"] = "fake", ["pool_size"] = 1, ["pool_timeout"] = 10, ["connect_timeout"] = 60 };
        var old = db.Registry.Configure("waits", Settings());
        var held = await old.Pool.RentAsync(async: true, Cancel);
        var waiter = old.Pool.RentAsync(async: true, Cancel).AsTask();
        while (old.Statistics.Waiting == 0)
        {
            await Task.Delay(2, Cancel);
        }

        clock.Advance(TimeSpan.FromSeconds(6));
        driver.BeforeOpen = _ =>
        {
            opening.TrySetResult();
            return never.Task; // the replacement's connect hangs: only pool_timeout can end the wait
        };
        db.Registry.Configure("waits", Settings(), replace: true);
        await opening.Task.WaitAsync(TimeSpan.FromSeconds(10), Cancel);
        clock.Advance(TimeSpan.FromSeconds(4.5));

        // 10.5 s after it queued, past its 10 s pool_timeout: the hand-over must not have restarted its clock (that would
        // put the deadline at 16 s). The clock moves on in small steps up to 15.5 s, in case the wait armed its timer
        // just after the jump above.
        for (var step = 0; step < 50 && !waiter.IsCompleted; step++)
        {
            await Task.WhenAny(waiter, Task.Delay(TimeSpan.FromMilliseconds(step == 0 ? 2000 : 50), Cancel));
            if (!waiter.IsCompleted)
            {
                clock.Advance(TimeSpan.FromMilliseconds(100));
            }
        }

        Assert.True(waiter.IsCompleted, "The waiter handed to the new pool was still waiting 15.5 s after it queued with a 10 s pool_timeout.");
        await Assert.ThrowsAsync<PoolTimeoutException>(() => waiter);
        never.TrySetResult();
        held.Pool.Return(held, held.Lease);
    }
}
