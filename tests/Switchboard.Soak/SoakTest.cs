using System.Diagnostics;
using System.Globalization;

namespace Switchboard.Soak;

/// <summary>
/// Issue 4's and issue 9's soak test, on a throwaway PostgreSQL or MariaDB server of its own: workers run mixed reads,
/// writes and transactions on one small pool while a killer ends random sessions of that pool (and, when asked, the
/// server is restarted every few seconds); a watcher polls the server's list of the pool's sessions. At the end every
/// acknowledged row must be there, no row of an uncommitted transaction may be, and the server must never have seen
/// more live sessions than the pool size (sessions already killed and not yet reaped are reported, not failed).
/// </summary>
internal static class SoakTest
{
    /// <summary>The time a cancel has to end a statement before Switchboard closes its connection.</summary>
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(string[] args)
    {
        SoakOptions options;
        try
        {
            options = SoakOptions.Parse(args);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(exception.Message);
            return 2;
        }

        var engine = SoakEngine.For(options.Engine);
        Console.WriteLine($"soak: starting a throwaway {string.Join(" and ", engine.Servers)} on loopback");
        await using var server = await SoakServer.StartAsync(engine.Servers);
        var tag = "soak_" + Guid.NewGuid().ToString("N")[..8];
        var table = tag + "_rows";
        await using var registry = new ConnectionRegistry();
        await using var monitorRegistry = new ConnectionRegistry();
        var monitorConfig = ConnectionConfig.Parse(server.Url);
        monitorConfig.Driver = engine.Driver;
        monitorConfig.PoolSize = 2;
        monitorConfig.PoolPrePing = PrePing.Always;
        monitorConfig.PoolTimeout = TimeSpan.FromSeconds(10);
        monitorConfig.ConnectTimeout = TimeSpan.FromSeconds(5);
        var monitor = monitorRegistry.Configure("soak_monitor", monitorConfig);
        var poolConfig = ConnectionConfig.Parse(server.Variable(engine.PoolUrlVariable));
        await engine.PrepareAsync(monitor, tag, poolConfig);
        poolConfig.Driver = engine.Driver;
        engine.ConfigurePool(poolConfig, tag);
        poolConfig.AutoPrepare = options.AutoPrepare ?? poolConfig.AutoPrepare;
        poolConfig.PoolSize = options.PoolSize;
        poolConfig.PoolTimeout = TimeSpan.FromSeconds(options.PoolTimeoutSeconds);
        poolConfig.CommandTimeout = TimeSpan.FromSeconds(options.CommandTimeoutSeconds);
        poolConfig.ConnectTimeout = TimeSpan.FromSeconds(5);
        var pool = registry.Configure(tag, poolConfig);

        long connects = 0, disconnects = 0, invalidations = 0;
        using var onConnect = registry.Events.OnConnect(_ => Interlocked.Increment(ref connects));
        using var onDisconnect = registry.Events.OnDisconnect(_ => Interlocked.Increment(ref disconnects));
        using var onInvalidate = registry.Events.OnInvalidate(_ => Interlocked.Increment(ref invalidations));

        await monitor.ExecuteAsync($"CREATE TABLE {table} (id BIGINT PRIMARY KEY, worker INT NOT NULL, note VARCHAR(32) NOT NULL)");
        await monitor.ExecuteAsync($"CREATE INDEX {table}_worker ON {table} (worker)");
        var stats = new SoakStats();
        var clock = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(options.Seconds);
        var restarts = options.RestartEverySeconds > 0 ? $", a restart every {options.RestartEverySeconds} s" : "";
        restarts += options.StopEverySeconds > 0 ? $", the server stopped (SIGSTOP) for {options.StopForSeconds} s every {options.StopEverySeconds} s" : "";
        restarts += options.Sync ? ", every other worker sync" : "";
        Console.WriteLine($"soak: {string.Join(" behind ", engine.Servers)}, auto_prepare {poolConfig.AutoPrepare?.ToString() ?? "default"}, {options.Workers} workers, pool of {options.PoolSize}, kills every ~{options.KillEverySeconds} s{restarts}, "
            + $"command_timeout {options.CommandTimeoutSeconds} s, pool_timeout {options.PoolTimeoutSeconds} s, for {options.Seconds} s; pool '{tag}'");

        using var stopWorkers = new CancellationTokenSource(duration);
        using var stopWatching = new CancellationTokenSource();
        var watcher = Task.Run(() => WatchAsync(engine, monitor, pool, tag, stats, stopWatching.Token));
        var killer = Task.Run(() => KillAsync(engine, monitor, tag, options.KillEverySeconds, stats, stopWorkers.Token));
        var restarter = Task.Run(() => RestartAsync(server, options.RestartEverySeconds, stats, stopWorkers.Token));
        var stopper = Task.Run(() => StopAsync(server, options, stats, stopWorkers.Token));
        var reporter = Task.Run(() => ReportAsync(stats, clock, stopWorkers.Token));
        // Switchboard's documented bound for a statement: the checkout's pool_timeout, then command_timeout, then the
        // 1 s a cancel has before the connection is closed under a server that does not answer.
        var deadline = poolConfig.PoolTimeout + poolConfig.CommandTimeout + CancelGrace;
        var workers = Enumerable.Range(0, options.Workers).Select(w => options.Sync && w % 2 == 1
            ? Task.Factory.StartNew(() => SoakWorker.RunAsync(pool, table, w, stats, deadline, poolConfig.CommandTimeout, sync: true, stopWorkers.Token).GetAwaiter().GetResult(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            : Task.Run(() => SoakWorker.RunAsync(pool, table, w, stats, deadline, poolConfig.CommandTimeout, sync: false, stopWorkers.Token))).ToList();
        await Task.WhenAll(workers);
        await Task.WhenAll(killer, restarter, stopper, reporter);
        await Task.Delay(200);
        await stopWatching.CancelAsync();
        await watcher;

        var present = new HashSet<long>();
        var foreign = 0;
        foreach (var row in (await monitor.ExecuteRawAsync($"SELECT id, worker, note FROM {table}")).Rows)
        {
            var id = Convert.ToInt64(row["id"], CultureInfo.InvariantCulture);
            present.Add(id);

            // A row holding another worker's or another statement's values: a prepared statement run for the wrong client.
            if (stats.Expected.TryGetValue(id, out var expected)
                && (expected.Worker != Convert.ToInt32(row["worker"], CultureInfo.InvariantCulture) || expected.Note != (string)row["note"]!))
            {
                foreign++;
            }
        }

        var lost = stats.Acknowledged.Count(id => !present.Contains(id));
        var phantom = stats.NeverCommitted.Count(present.Contains);
        var ambiguousPresent = stats.Ambiguous.Count(present.Contains);
        var statistics = pool.Statistics;
        await registry.DisposeAllAsync();
        await monitor.ExecuteAsync($"DROP TABLE IF EXISTS {table}");

        Console.WriteLine();
        Console.WriteLine($"ran {clock.Elapsed.TotalSeconds:0.0} s on {engine.Server}");
        Console.WriteLine($"operations done: {stats.Operations} (reads {stats.Reads}, writes {stats.Writes}, transactions committed {stats.Commits}, rolled back on purpose {stats.Rollbacks})");
        Console.WriteLine($"errors: {stats.Errors.Values.Sum()}{string.Concat(stats.Errors.OrderByDescending(e => e.Value).Select(e => $"{Environment.NewLine}  {e.Value,7} {e.Key}"))}");
        Console.WriteLine($"sessions killed: {stats.Kills}; server restarts: {stats.Restarts}; server stops: {stats.Stops}");
        Console.WriteLine($"connections opened: {connects}, closed: {disconnects}, invalidated: {invalidations} (pool statistics at the end: opened {statistics.Opened}, closed {statistics.Closed}, timeouts {statistics.Timeouts})");
        Console.WriteLine($"rows acknowledged: {stats.Acknowledged.Count}, present: {present.Count}, lost: {lost}, ambiguous: {stats.Ambiguous.Count} ({ambiguousPresent} of them present), never committed but present: {phantom}");
        Console.WriteLine($"acknowledged rows holding another worker's or another statement's values: {foreign}");
        var bound = engine.SessionsArePoolConnections ? $"pool size {options.PoolSize}" : "not bounded by the pool: PgBouncer's server sessions";
        Console.WriteLine($"peak live sessions seen by the server: {stats.PeakLive} ({bound}); peak listed including killed ones not yet reaped: {stats.PeakListed}; {stats.Polls} polls");
        foreach (var overshoot in stats.Overshoots)
        {
            Console.WriteLine($"  listed above the pool size: {overshoot}");
        }

        Console.WriteLine($"longest wait beyond a deadline: {Math.Max(0, stats.WorstOvershoot.TotalSeconds):0.000} s ({stats.WorstOvershootCall}); longest call {stats.LongestCall.TotalSeconds:0.000} s");
        var failed = lost > 0 || phantom > 0 || foreign > 0 || (engine.SessionsArePoolConnections && stats.PeakLive > options.PoolSize) || stats.Operations == 0;
        Console.WriteLine(failed ? "FAILED" : "OK");
        return failed ? 1 : 0;
    }

    private static async Task KillAsync(SoakEngine engine, Connection monitor, string tag, double everySeconds, SoakStats stats, CancellationToken stop)
    {
        if (everySeconds <= 0)
        {
            return;
        }

        var random = new Random(1);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(everySeconds * (0.5 + random.NextDouble())), stop);
                var sessions = await engine.SessionsAsync(monitor, tag, stop);
                foreach (var (id, _) in sessions.OrderBy(_ => random.Next()).Take(random.Next(1, 4)))
                {
                    stats.Killed.TryAdd(id, 0);
                    await monitor.ExecuteAsync(engine.KillSql(id), cancellationToken: stop);
                    Interlocked.Increment(ref stats.Kills);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (SwitchboardException)
            {
                // The server is restarting, or the session ended on its own: try again at the next round.
            }
        }
    }

    /// <summary>Stops the server's processes (SIGSTOP) every so often for a few seconds, as a hung server; always resumes them.</summary>
    private static async Task StopAsync(SoakServer server, SoakOptions options, SoakStats stats, CancellationToken stop)
    {
        if (options.StopEverySeconds <= 0)
        {
            return;
        }

        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(options.StopEverySeconds), stop);
                var processes = server.Processes();
                SoakServer.Signal("STOP", processes);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(options.StopForSeconds), CancellationToken.None);
                }
                finally
                {
                    SoakServer.Signal("CONT", processes);
                }

                Interlocked.Increment(ref stats.Stops);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static async Task RestartAsync(SoakServer server, double everySeconds, SoakStats stats, CancellationToken stop)
    {
        if (everySeconds <= 0)
        {
            return;
        }

        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(everySeconds), stop);
                await server.RestartAsync();
                stats.Killed.Clear();
                Interlocked.Increment(ref stats.Restarts);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task WatchAsync(SoakEngine engine, Connection monitor, Connection pool, string tag, SoakStats stats, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            IReadOnlyList<(long Id, bool Ending)> sessions;
            try
            {
                sessions = await engine.SessionsAsync(monitor, tag, CancellationToken.None);
            }
            catch (SwitchboardException)
            {
                await Task.Delay(100, CancellationToken.None);
                continue;
            }

            // Killed or ending sessions the server has not reaped yet are not the pool's: it closed them already.
            var live = sessions.Count(s => !s.Ending && !stats.Killed.ContainsKey(s.Id));
            if (engine.SessionsArePoolConnections && sessions.Count > pool.Statistics.MaxSize && stats.Overshoots.Count < 10)
            {
                stats.Overshoots.Enqueue($"{sessions.Count} listed, {live} live, {sessions.Count - live} killed or ending; the pool's own count: {pool.Statistics.Size}");
            }

            stats.PeakLive = Math.Max(stats.PeakLive, live);
            stats.PeakListed = Math.Max(stats.PeakListed, sessions.Count);
            stats.Polls++;
            await Task.Delay(10, CancellationToken.None);
        }
    }

    private static async Task ReportAsync(SoakStats stats, Stopwatch clock, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), stop);
                Console.WriteLine($"{clock.Elapsed.TotalSeconds,5:0} s: {stats.Operations} operations, {stats.Errors.Values.Sum()} errors, {stats.Kills} kills, {stats.Restarts} restarts, peak live {stats.PeakLive}");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
