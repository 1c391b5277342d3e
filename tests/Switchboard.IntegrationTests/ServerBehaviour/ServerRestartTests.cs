using System.Collections.Concurrent;

namespace Switchboard.IntegrationTests.ServerBehaviour;

/// <summary>
/// docs/RELIABILITY.md 14 and issue 4's "restart the server mid-load with writers running", on a throwaway server of the
/// collection's own (see <see cref="ServerRestartsDefinition"/>), restarted with scripts/lib/servers.sh.
/// </summary>
[Collection(ServerRestartsDefinition.Name)]
public abstract class ServerRestartTests(ServerEngine engine, string kind, ThrowawayServers servers) : ServerTestBase(engine)
{
    private ThrowawayServer? _server;

    [Fact]
    public async Task Restart_WithValidation_TheNextCheckoutSucceedsOnANewBackend_AndCommittedRowsStay()
    {
        var pool = await PoolAsync(c =>
        {
            c.PoolSize = 3;
            c.PoolPrePing = PrePing.Idle;
            c.PoolPrePingWindow = TimeSpan.Zero;
        });
        await InsertAsync(pool, 1);
        var before = await OpenInOrderAsync(pool, 3);

        await _server!.RestartAsync(Cancel);
        var backend = await pool.ScalarAsync<long>(Engine.SessionIdSql, cancellationToken: Cancel);
        await InsertAsync(pool, 2);

        Report($"backends before restart: {string.Join(", ", before)}; first checkout after: {backend}");
        Assert.Equal([backend], await SessionsAsync()); // MariaDB numbers sessions afresh after a restart: compare with the server's view
        Assert.Contains(EventsOf(ConnectionEventKind.Invalidate), e => e.Reason == "failed pre-ping");
        Assert.Equal([1L, 2L], (await RowIdsAsync()).Order());
    }

    [Fact]
    public async Task Restart_WithoutValidation_TheFirstStatementFailsTransient_ItsConnectionAndOlderIdleOnesGo_AndTheNextWorks()
    {
        var pool = await PoolAsync(c =>
        {
            c.PoolSize = 3;
            c.PoolPrePing = PrePing.Never;
        });
        await InsertAsync(pool, 1);
        var before = await OpenInOrderAsync(pool, 3);
        var connected = EventsOf(ConnectionEventKind.Connect).Select(e => e.Id).ToList();

        await _server!.RestartAsync(Cancel);
        var error = await Assert.ThrowsAnyAsync<SwitchboardException>(() => pool.ScalarAsync<long>(Engine.SessionIdSql, cancellationToken: Cancel));
        var afterFailure = pool.Statistics;
        var backend = await pool.ScalarAsync<long>(Engine.SessionIdSql, cancellationToken: Cancel);
        await InsertAsync(pool, 2);

        Report($"backends before restart: {string.Join(", ", before)}; first statement: {error.GetType().Name}: {error.Message}; then {backend}");
        Assert.IsType<ConnectionException>(error);
        Assert.True(error.IsTransient);
        var invalidated = Assert.Single(EventsOf(ConnectionEventKind.Invalidate));
        Assert.Equal(connected[^1], invalidated.Id); // the newest, given back last, is the one LIFO hands out
        Assert.Equal(connected[..^1].Order(), EventsOf(ConnectionEventKind.Disconnect).Where(e => e.Reason == "invalidated").Select(e => e.Id).Order());
        Assert.Equal(0, afterFailure.Size);
        Assert.Equal([backend], await SessionsAsync());
        Assert.Equal([1L, 2L], (await RowIdsAsync()).Order());
    }

    [Fact]
    public async Task Restart_MidLoad_WithWritersRunning_KeepsEveryAcknowledgedRow()
    {
        var pool = await PoolAsync(c =>
        {
            c.PoolSize = 4;
            c.PoolTimeout = TimeSpan.FromSeconds(5);
        });
        var acknowledged = new ConcurrentBag<long>();
        var errors = new ConcurrentDictionary<string, int>();
        long next = 0;
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var id = Interlocked.Increment(ref next);
                try
                {
                    await pool.ExecuteAsync($"INSERT INTO {Table} (id, note) VALUES (@id, 'writer')", new { id }, Cancel);
                    acknowledged.Add(id);
                }
                catch (Exception exception)
                {
                    errors.AddOrUpdate($"{exception.GetType().Name}{(exception is SwitchboardException { IsTransient: true } ? " (transient)" : "")}", 1, (_, n) => n + 1);
                    await Task.Delay(20, Cancel);
                }
            }
        })).ToList();

        await WaitUntilAsync(() => Task.FromResult(acknowledged.Count >= 100), "writers to get going");
        await _server!.RestartAsync(Cancel);
        var atRestart = acknowledged.Count;
        await WaitUntilAsync(() => Task.FromResult(acknowledged.Count >= atRestart + 100), "writers to write again after the restart", seconds: 20);
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        var present = await RowIdsAsync();
        var lost = acknowledged.Where(id => !present.Contains(id)).ToList();
        Report($"attempted {next}, acknowledged {acknowledged.Count} ({atRestart} before the restart ended), present {present.Count}, lost {lost.Count}; errors: {string.Join(", ", errors.Select(e => $"{e.Key} x{e.Value}"))}");
        Assert.Empty(lost);
        // The restart reached the writers, and every failure it caused says "lost connection, retry may succeed".
        Assert.NotEmpty(errors);
        Assert.All(errors.Keys, k => Assert.Equal(nameof(ConnectionException) + " (transient)", k));
        Assert.InRange(pool.Statistics.Size, 1, 4);
    }

    protected override async Task<string> ServerUrlAsync()
    {
        _server ??= await servers.RequireAsync(kind);
        return _server.Url;
    }
}
