using System.Collections.Concurrent;

namespace Switchboard.IntegrationTests.ServerBehaviour;

/// <summary>
/// What the server sees of a pool (issue 3, item 7) and the disconnect scenarios of docs/RELIABILITY.md that a server can
/// produce without restarting (13, 15, 16, 19, 20): each reads the server's own view of the pool's sessions from a
/// monitor connection, so "one physical connection" means one session on the server, not a counter of ours.
/// </summary>
public abstract class ServerViewTests(ServerEngine engine) : ServerTestBase(engine)
{
    [Fact]
    public async Task PoolSize_Under32ConcurrentWorkers_BoundsTheSessionsTheServerSees()
    {
        const int poolSize = 5;
        var pool = await PoolAsync(c => c.PoolSize = poolSize);
        var backends = new ConcurrentDictionary<long, byte>();
        var peak = 0;
        var polls = 0;
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, (await SessionsAsync()).Count);
                polls++;
            }
        });

        var workers = Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 4; i++)
            {
                backends.TryAdd(await pool.ScalarAsync<long>(Engine.SessionIdAfterSleepSql(0.03), cancellationToken: Cancel), 0);
            }
        }));
        await Task.WhenAll(workers);
        await stop.CancelAsync();
        await watcher;

        Report($"peak sessions seen by the server: {peak} over {polls} polls; distinct backends: {backends.Count}; opened: {pool.Statistics.Opened}");
        Assert.InRange(peak, 2, poolSize);
        Assert.InRange(backends.Count, 2, poolSize);
        Assert.InRange(pool.Statistics.Opened, 2, poolSize);
        Assert.Equal(0, pool.Statistics.Timeouts);
        Assert.Equal(backends.Keys.Order(), (await SessionsAsync()).Order());
    }

    [Fact]
    public async Task PoolRecycle_ReplacesTheBackend_AndTheOldOneLeavesTheServer()
    {
        var pool = await PoolAsync(c =>
        {
            c.PoolSize = 1;
            c.PoolRecycle = TimeSpan.FromSeconds(1);
        });
        var first = await pool.ScalarAsync<long>(Engine.SessionIdSql, cancellationToken: Cancel);
        Assert.Equal([first], await SessionsAsync());

        long current = first;
        await WaitUntilAsync(async () => (current = await pool.ScalarAsync<long>(Engine.SessionIdSql, cancellationToken: Cancel)) != first, "a checkout on a new backend", seconds: 5);
        await WaitUntilAsync(async () => !(await SessionsAsync()).Contains(first), $"backend {first} to leave the server");

        Report($"backend before recycle: {first}, after: {current}");
        Assert.Equal([current], await SessionsAsync());
        Assert.Contains(EventsOf(ConnectionEventKind.Disconnect), e => e.Reason == "recycled");
        Assert.Empty(EventsOf(ConnectionEventKind.Invalidate));
    }

    [Fact]
    public async Task KilledIdleBackend_WithPrePingIdle_IsReplacedSilently_AndCommittedRowsStay()
    {
        var pool = await PoolAsync(c =>
        {
            c.PoolSize = 3;
            c.PoolPrePing = PrePing.Idle;
            c.PoolPrePingWindow = TimeSpan.FromMilliseconds(50);
        });
        for (var id = 1; id <= 3; id++)
        {
            await InsertAsync(pool, id);
        }

        var killed = await SessionsAsync();
        await KillAsync(killed);
        await Task.Delay(100, Cancel); // past the pre-ping window, whatever the kill took

        var backend = await pool.ScalarAsync<long>(Engine.SessionIdSql, cancellationToken: Cancel);
        var count = await pool.ScalarAsync<long>($"SELECT COUNT(*) FROM {Table}", cancellationToken: Cancel);

        Report($"killed {string.Join(", ", killed)}; next checkout on {backend}");
        Assert.Single(killed);
        Assert.DoesNotContain(backend, killed);
        Assert.Equal(3, count);
        Assert.Equal([1L, 2L, 3L], (await RowIdsAsync()).Order());
        Assert.Equal("failed pre-ping", Assert.Single(EventsOf(ConnectionEventKind.Invalidate)).Reason);
        Assert.Equal([backend], await SessionsAsync());
    }

    [Fact]
    public async Task KilledIdleBackend_WithoutPrePing_FailsTheFirstStatementTransient_ThenWorks_AndCommittedRowsStay()
    {
        var pool = await PoolAsync(c =>
        {
            c.PoolSize = 3;
            c.PoolPrePing = PrePing.Never;
        });
        for (var id = 1; id <= 3; id++)
        {
            await InsertAsync(pool, id);
        }

        var killed = await SessionsAsync();
        await KillAsync(killed);

        var error = await Assert.ThrowsAnyAsync<SwitchboardException>(() => InsertAsync(pool, 4));
        var backend = await pool.ScalarAsync<long>(Engine.SessionIdSql, cancellationToken: Cancel);
        await InsertAsync(pool, 5);

        Report($"killed {string.Join(", ", killed)}; first statement: {error.GetType().Name} ({error.Message}); then backend {backend}");
        Assert.IsType<ConnectionException>(error);
        Assert.True(error.IsTransient);
        Assert.Contains(pool.Name, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(backend, killed);
        Assert.Equal("disconnected", Assert.Single(EventsOf(ConnectionEventKind.Invalidate)).Reason);
        Assert.Equal([1L, 2L, 3L, 5L], (await RowIdsAsync()).Order());
    }

    [Fact]
    public async Task KilledInsideATransaction_FailsClearlyWithoutRetry_DiscardsTheConnection_AndKeepsRowsCommittedBefore()
    {
        var pool = await PoolAsync(c => c.PoolSize = 2);
        await InsertAsync(pool, 1);
        await InsertAsync(pool, 2);
        long victim;
        SwitchboardException error;
        TransactionException commitError;

        var transaction = new Transaction(pool);
        await using (transaction)
        {
            await InsertAsync(pool, 10, "inside");
            victim = await pool.ScalarAsync<long>(Engine.SessionIdSql, cancellationToken: Cancel);
            await KillAsync(victim);

            error = await Assert.ThrowsAnyAsync<SwitchboardException>(() => InsertAsync(pool, 11, "inside"));
            commitError = await Assert.ThrowsAsync<TransactionException>(() => transaction.CommitAsync(Cancel));
        }

        var after = await pool.ScalarAsync<long>(Engine.SessionIdSql, cancellationToken: Cancel);

        Report($"killed {victim} inside the transaction: {error.GetType().Name}: {error.Message} / commit: {commitError.Message}; then backend {after}");
        Assert.IsType<ConnectionException>(error);
        Assert.True(error.IsTransient);
        Assert.Contains("transaction", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was retried", error.Message, StringComparison.Ordinal);
        Assert.NotEqual(victim, after);
        Assert.Contains(EventsOf(ConnectionEventKind.Invalidate), e => e.Reason == "disconnected");
        Assert.Equal([1L, 2L], (await RowIdsAsync()).Order());
        Assert.Equal([after], await SessionsAsync());
    }

    [Fact]
    public async Task OrdinarySqlErrors_DoNotDiscardTheConnection()
    {
        var pool = await PoolAsync(c => c.PoolSize = 1);
        await InsertAsync(pool, 1);
        var backend = await pool.ScalarAsync<long>(Engine.SessionIdSql, cancellationToken: Cancel);

        var syntax = await Assert.ThrowsAnyAsync<SwitchboardException>(() => pool.ExecuteAsync("SELEC 1", cancellationToken: Cancel));
        var duplicate = await Assert.ThrowsAnyAsync<SwitchboardException>(() => InsertAsync(pool, 1));
        SwitchboardException insideTransaction;
        var transaction = new Transaction(pool);
        await using (transaction)
        {
            await InsertAsync(pool, 2);
            insideTransaction = await Assert.ThrowsAnyAsync<SwitchboardException>(() => InsertAsync(pool, 1));
        }

        var after = await pool.ScalarAsync<long>(Engine.SessionIdSql, cancellationToken: Cancel);

        Assert.IsNotType<ConnectionException>(syntax);
        Assert.IsNotType<ConnectionException>(duplicate);
        Assert.IsNotType<ConnectionException>(insideTransaction);
        Assert.False(syntax.IsTransient);
        Assert.False(duplicate.IsTransient);
        Assert.Equal(backend, after);
        Assert.Equal([backend], await SessionsAsync());
        Assert.Equal(1, pool.Statistics.Opened);
        Assert.Equal(0, pool.Statistics.Closed);
        Assert.Empty(EventsOf(ConnectionEventKind.Invalidate));
        Assert.Equal([1L], (await RowIdsAsync()).Order());
    }

    [Fact]
    public async Task StatementCancelledMidFlight_ThrowsOperationCanceled_AndItsBackendIsNeverHandedOutAgain()
    {
        var pool = await PoolAsync(c => c.PoolSize = 1);
        var backend = await pool.ScalarAsync<long>(Engine.SessionIdSql, cancellationToken: Cancel);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pool.ScalarAsync<long>(Engine.SessionIdAfterSleepSql(5), cancellationToken: cancel.Token));
        var after = await pool.ScalarAsync<long>(Engine.SessionIdSql, cancellationToken: Cancel);
        await WaitUntilAsync(async () => !(await SessionsAsync()).Contains(backend), $"cancelled backend {backend} to leave the server");

        Report($"cancelled on backend {backend}; next statement on {after}");
        Assert.NotEqual(backend, after);
        Assert.Equal([after], await SessionsAsync());
        Assert.Equal(new PoolStatistics(1, 1, 0, 0, 2, 1, 0, 1), pool.Statistics);
    }

    [Fact]
    public async Task Dispose_WhileAStatementRuns_LetsItFinish_ThenDisposeAllLeavesNoSession()
    {
        var pool = await PoolAsync(c => c.PoolSize = 2);
        await OpenInOrderAsync(pool, 2);

        var inFlight = pool.ScalarAsync<long>(Engine.SessionIdAfterSleepSql(1), cancellationToken: Cancel);
        await WaitUntilAsync(() => Task.FromResult(pool.Statistics.InUse == 1), "the statement to start");
        Assert.True(await Registry.DisposeAsync(Tag));
        await WaitUntilAsync(async () => (await SessionsAsync()).Count == 1, "the idle session to close at once");

        var finished = await inFlight;
        await WaitUntilAsync(async () => (await SessionsAsync()).Count == 0, "the in-flight session to close when given back");
        var disposed = await Assert.ThrowsAsync<ConnectionException>(() => pool.ScalarAsync<long>(Engine.SessionIdSql, cancellationToken: Cancel));

        var again = await PoolAsync(c => c.PoolSize = 2);
        await OpenInOrderAsync(again, 2);
        var reopened = (await SessionsAsync()).Count;
        await Registry.DisposeAllAsync();

        // A backend leaves the server's view a moment after its client hangs up: wait for it, never longer than the helper allows.
        await WaitUntilAsync(async () => (await SessionsAsync()).Count == 0, "every session of the pool to end after DisposeAll");
        Report($"in-flight statement finished on {finished}; after DisposeAll the server lists {(await SessionsAsync()).Count} sessions of the pool (had {reopened})");
        Assert.Contains("disposed", disposed.Message, StringComparison.Ordinal);
        Assert.Equal(2, reopened);
        Assert.Empty(await SessionsAsync());
    }

    [Fact]
    public async Task GracefulDispose_PastItsGracePeriod_FailsTheInFlightStatementClearly_AndLeavesNoSession()
    {
        var pool = await PoolAsync(c => c.PoolSize = 2);
        var inFlight = pool.ScalarAsync<long>(Engine.SessionIdAfterSleepSql(2), cancellationToken: Cancel);
        await WaitUntilAsync(async () => pool.Statistics.InUse == 1 && (await SessionsAsync()).Count == 1, "the statement to start");
        await Task.Delay(200, Cancel);

        var cameBack = await Registry.DisposeAsync(Tag, TimeSpan.FromMilliseconds(200), Cancel);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => inFlight);
        await WaitUntilAsync(async () => (await SessionsAsync()).Count == 0, "the forced session to leave the server");

        Report($"in-flight statement after forced close: {error.GetType().Name}: {error.Message}");
        Assert.False(cameBack);
        Assert.IsType<ConnectionException>(error);
        Assert.Contains("grace period", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, pool.Statistics.Size);
        Assert.Contains(EventsOf(ConnectionEventKind.Disconnect), e => e.Reason == "disposed");
    }
}
