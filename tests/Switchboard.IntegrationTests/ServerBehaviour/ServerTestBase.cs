using System.Collections.Concurrent;
using System.Globalization;
using Switchboard.Tests.Support;

namespace Switchboard.IntegrationTests.ServerBehaviour;

/// <summary>
/// One test against a real server: its own registry, a pool under test named with a unique tag (so that tests running
/// in parallel never count each other's sessions), a monitor connection that reads the server's view of that pool from
/// outside it, and a table of its own, all removed at the end.
/// </summary>
public abstract class ServerTestBase(ServerEngine engine) : IAsyncDisposable
{
    private readonly ConnectionRegistry _registry = new();

    // Its own registry, so that a test may dispose every connection of the pool's registry and still look at the server.
    private readonly ConnectionRegistry _monitorRegistry = new();
    private readonly List<IDisposable> _subscriptions = [];
    private Connection? _monitor;
    private string? _url;
    private bool _prepared;
    private bool _tableCreated;

    protected ServerEngine Engine => engine;

    /// <summary>The pool's name, and what the server knows its sessions by.</summary>
    protected string Tag { get; } = "sv_" + IntegrationSupport.Unique();

    protected string Table => Tag + "_rows";

    protected ConnectionRegistry Registry => _registry;

    /// <summary>The pool's Connect, Disconnect and Invalidate events, in order.</summary>
    protected ConcurrentQueue<ConnectionEventArgs> PoolEvents { get; } = new();

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _registry.DisposeAsync(Tag);
            if (_monitor is { } monitor)
            {
                if (_tableCreated)
                {
                    await monitor.ExecuteAsync($"DROP TABLE IF EXISTS {Table}");
                }

                if (_prepared)
                {
                    await engine.CleanUpAsync(monitor, Tag);
                }
            }
        }
        catch (SwitchboardException exception)
        {
            // A test that failed may leave the server unreachable; the cleanup must not hide its failure.
            Report($"cleanup failed: {exception.Message}");
        }
        finally
        {
            foreach (var subscription in _subscriptions)
            {
                subscription.Dispose();
            }

            await _registry.DisposeAllAsync();
            await _monitorRegistry.DisposeAllAsync();
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>The URL of the server the test runs on: the shared one by default.</summary>
    protected virtual Task<string> ServerUrlAsync() => Task.FromResult(TestServers.Require(engine.Variable));

    /// <summary>A connection of the server's own user, outside the pool under test, for looking at the server and killing sessions.</summary>
    protected async Task<Connection> MonitorAsync()
    {
        if (_monitor is not null)
        {
            return _monitor;
        }

        _url ??= await ServerUrlAsync();
        var config = ConnectionConfig.Parse(_url);
        config.Driver = engine.Driver;
        config.PoolSize = 2;

        // The monitor must see the server after a restart, even one within the default pre-ping window.
        config.PoolPrePing = PrePing.Always;
        config.PoolTimeout = TimeSpan.FromSeconds(10);
        config.ConnectTimeout = TimeSpan.FromSeconds(5);
        _monitor = _monitorRegistry.Configure("monitor_" + Tag, config);
        return _monitor;
    }

    /// <summary>Configures the pool under test (named <see cref="Tag"/>) with a table <see cref="Table"/> of (id, note), and listens to its events.</summary>
    protected async Task<Connection> PoolAsync(Action<ConnectionConfig>? configure = null)
    {
        var monitor = await MonitorAsync();
        var config = ConnectionConfig.Parse(_url!);
        if (!_prepared)
        {
            await engine.PrepareAsync(monitor, Tag, config);
            _prepared = true;
            await monitor.ExecuteAsync($"CREATE TABLE {Table} (id BIGINT PRIMARY KEY, note VARCHAR(64) NOT NULL)");
            _tableCreated = true;
            _subscriptions.Add(_registry.Events.OnConnect(Record));
            _subscriptions.Add(_registry.Events.OnDisconnect(Record));
            _subscriptions.Add(_registry.Events.OnInvalidate(Record));
        }

        config.Driver = engine.Driver;
        engine.ConfigurePool(config, Tag);
        config.PoolTimeout = TimeSpan.FromSeconds(10);
        config.ConnectTimeout = TimeSpan.FromSeconds(5);
        configure?.Invoke(config);
        return _registry.Configure(Tag, config, replace: true);
    }

    /// <summary>The server's ids of the pool's sessions now.</summary>
    protected async Task<IReadOnlyList<long>> SessionsAsync() => await engine.SessionsAsync(await MonitorAsync(), Tag, Cancel);

    /// <summary>Ends the pool's sessions <paramref name="ids"/> from the monitor and waits until the server no longer lists them.</summary>
    protected async Task KillAsync(params IReadOnlyList<long> ids)
    {
        var monitor = await MonitorAsync();
        foreach (var id in ids)
        {
            await monitor.ExecuteAsync(engine.KillSql(id));
        }

        await WaitUntilAsync(async () => !(await SessionsAsync()).Intersect(ids).Any(), $"sessions {string.Join(", ", ids)} to end");
    }

/// <summary>Opens <paramref name="count"/> connections one after another and gives them back in that order (newest last).</summary>
    protected async Task<List<long>> OpenInOrderAsync(Connection pool, int count)
    {
        var running = new List<Task<long>>();
        for (var i = 0; i < count; i++)
        {
            running.Add(pool.ScalarAsync<long>(Engine.SessionIdAfterSleepSql(0.2 + (0.1 * i)), cancellationToken: Cancel));
            var opened = i + 1;
            await WaitUntilAsync(() => Task.FromResult(pool.Statistics.Opened == opened), $"connection {opened} to open");
        }

        var backends = (await Task.WhenAll(running)).ToList();
        Assert.Equal(count, (await SessionsAsync()).Count);
        return backends;
    }

    protected Task InsertAsync(Connection connection, long id, string note = "row") =>
        connection.ExecuteAsync($"INSERT INTO {Table} (id, note) VALUES (@id, @note)", new { id, note }, Cancel);

    /// <summary>The ids in the table, read on the monitor.</summary>
    protected async Task<HashSet<long>> RowIdsAsync()
    {
        var result = await (await MonitorAsync()).ExecuteRawAsync($"SELECT id FROM {Table}", cancellationToken: Cancel);
        return [.. result.Rows.Select(r => Convert.ToInt64(r["id"], CultureInfo.InvariantCulture))];
    }

    protected List<ConnectionEventArgs> EventsOf(ConnectionEventKind kind) => [.. PoolEvents.Where(e => e.Kind == kind)];

    /// <summary>Polls <paramref name="condition"/> every 20 ms until it holds; fails saying what was awaited.</summary>
    protected static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Waited {seconds} s for {what}.");
            }

            await Task.Delay(20, Cancel);
        }
    }

    protected static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    private void Record(ConnectionEventArgs args)
    {
        if (args.ConnectionName == Tag)
        {
            PoolEvents.Enqueue(args);
        }
    }
}
