using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Switchboard.Soak;

/// <summary>
/// Issue 4's soak test on PostgreSQL (<c>SWITCHBOARD_TEST_POSTGRES</c>): workers run mixed reads, writes and
/// transactions on one small pool while a killer terminates random backends of that pool; a watcher polls
/// <c>pg_stat_activity</c> for the pool's sessions. At the end every acknowledged row must be there, no rolled-back
/// row may be, and the server must never have seen more sessions than the pool size.
/// </summary>
internal static class SoakTest
{
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

        var url = Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(url))
        {
            Console.Error.WriteLine("SWITCHBOARD_TEST_POSTGRES is not set: point it at a PostgreSQL server (scripts/lib/servers.sh sb_start_postgres starts one).");
            return 2;
        }

        var tag = "soak_" + Guid.NewGuid().ToString("N")[..8];
        var table = tag + "_rows";
        var appName = "Switchboard:" + tag;
        await using var registry = new ConnectionRegistry();
        await using var monitorRegistry = new ConnectionRegistry();
        var poolConfig = ConnectionConfig.Parse(url);
        poolConfig.PoolSize = options.PoolSize;
        poolConfig.PoolTimeout = TimeSpan.FromSeconds(30);
        poolConfig.ConnectTimeout = TimeSpan.FromSeconds(5);
        var pool = registry.Configure(tag, poolConfig);
        var monitorConfig = ConnectionConfig.Parse(url);
        monitorConfig.PoolSize = 2;
        monitorConfig.PoolPrePing = PrePing.Always;
        var monitor = monitorRegistry.Configure("soak_monitor", monitorConfig);

        long connects = 0, disconnects = 0, invalidations = 0;
        using var onConnect = registry.Events.OnConnect(_ => Interlocked.Increment(ref connects));
        using var onDisconnect = registry.Events.OnDisconnect(_ => Interlocked.Increment(ref disconnects));
        using var onInvalidate = registry.Events.OnInvalidate(_ => Interlocked.Increment(ref invalidations));

        await monitor.ExecuteAsync($"CREATE TABLE {table} (id BIGINT PRIMARY KEY, worker INT NOT NULL, note TEXT NOT NULL)");
        await monitor.ExecuteAsync($"CREATE INDEX {table}_worker ON {table} (worker)");
        var stats = new Stats();
        var clock = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(options.Seconds);
        Console.WriteLine($"soak: {options.Workers} workers, pool of {options.PoolSize}, kills every ~{options.KillEverySeconds} s, for {options.Seconds} s; pool '{tag}' (application_name {appName})");

        using var stopWorkers = new CancellationTokenSource(duration);
        using var stopWatching = new CancellationTokenSource();
        var watcher = Task.Run(() => WatchAsync(monitor, pool, appName, stats, stopWatching.Token));
        var killer = Task.Run(() => KillAsync(monitor, appName, options.KillEverySeconds, stats, stopWorkers.Token));
        var reporter = Task.Run(() => ReportAsync(stats, clock, stopWorkers.Token));
        var workers = Enumerable.Range(0, options.Workers).Select(w => Task.Run(() => WorkAsync(pool, table, w, stats, stopWorkers.Token))).ToList();
        await Task.WhenAll(workers);
        await Task.WhenAll(killer, reporter);
        await Task.Delay(200);
        await stopWatching.CancelAsync();
        await watcher;

        var present = new HashSet<long>();
        foreach (var row in (await monitor.ExecuteRawAsync($"SELECT id FROM {table}")).Rows)
        {
            present.Add(Convert.ToInt64(row["id"], CultureInfo.InvariantCulture));
        }

        var lost = stats.Acknowledged.Count(id => !present.Contains(id));
        var phantom = stats.RolledBack.Count(present.Contains);
        var statistics = pool.Statistics;
        await registry.DisposeAllAsync();
        await monitor.ExecuteAsync($"DROP TABLE IF EXISTS {table}");

        Console.WriteLine();
        Console.WriteLine($"ran {clock.Elapsed.TotalSeconds:0.0} s");
        Console.WriteLine($"operations done: {stats.Operations} (reads {stats.Reads}, writes {stats.Writes}, transactions committed {stats.Commits}, rolled back on purpose {stats.Rollbacks})");
        Console.WriteLine($"errors: {stats.Errors.Values.Sum()}{string.Concat(stats.Errors.OrderByDescending(e => e.Value).Select(e => $"{Environment.NewLine}  {e.Value,7} {e.Key}"))}");
        Console.WriteLine($"backends killed: {stats.Kills}");
        Console.WriteLine($"connections opened: {connects}, closed: {disconnects}, invalidated: {invalidations} (pool statistics at the end: opened {statistics.Opened}, closed {statistics.Closed}, timeouts {statistics.Timeouts})");
        Console.WriteLine($"rows acknowledged: {stats.Acknowledged.Count}, present: {present.Count}, lost: {lost}, rolled back but present: {phantom}");
        Console.WriteLine($"peak physical connections seen by the server: {stats.Peak} (pool size {options.PoolSize}) over {stats.Polls} polls of pg_stat_activity");
        foreach (var overshoot in stats.Overshoots)
        {
            Console.WriteLine($"  above the pool size: {overshoot}");
        }

        var failed = lost > 0 || phantom > 0 || stats.Peak > options.PoolSize || stats.Operations == 0;
        Console.WriteLine(failed ? "FAILED" : "OK");
        return failed ? 1 : 0;
    }

    private static async Task WorkAsync(Connection pool, string table, int worker, Stats stats, CancellationToken stop)
    {
        // The stop token only ends the loop: an operation under way finishes, so that it is acknowledged or fails on its own.
        var random = new Random(worker);
        while (!stop.IsCancellationRequested)
        {
            var roll = random.Next(100);
            try
            {
                if (roll < 40)
                {
                    await pool.ScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE worker = @worker", new { worker }, CancellationToken.None);
                    Interlocked.Increment(ref stats.Reads);
                }
                else if (roll < 75)
                {
                    var id = stats.NextId();
                    await pool.ExecuteAsync($"INSERT INTO {table} (id, worker, note) VALUES (@id, @worker, 'write')", new { id, worker }, CancellationToken.None);
                    stats.Acknowledged.Add(id);
                    Interlocked.Increment(ref stats.Writes);
                }
                else
                {
                    var first = stats.NextId();
                    var second = stats.NextId();
                    var rollBack = roll >= 95;
                    var transaction = new Transaction(pool);
                    await using (transaction)
                    {
                        await pool.ExecuteAsync($"INSERT INTO {table} (id, worker, note) VALUES (@id, @worker, 'tx')", new { id = first, worker }, CancellationToken.None);
                        await pool.ExecuteAsync($"INSERT INTO {table} (id, worker, note) VALUES (@id, @worker, 'tx')", new { id = second, worker }, CancellationToken.None);
                        await pool.ExecuteAsync($"UPDATE {table} SET note = 'tx updated' WHERE id = @id", new { id = first }, CancellationToken.None);
                        if (rollBack)
                        {
                            await transaction.RollbackAsync(CancellationToken.None);
                            stats.RolledBack.Add(first);
                            stats.RolledBack.Add(second);
                            Interlocked.Increment(ref stats.Rollbacks);
                        }
                        else
                        {
                            await transaction.CommitAsync(CancellationToken.None);
                            stats.Acknowledged.Add(first);
                            stats.Acknowledged.Add(second);
                            Interlocked.Increment(ref stats.Commits);
                        }
                    }
                }

                Interlocked.Increment(ref stats.Operations);
            }
            catch (Exception exception)
            {
                stats.Errors.AddOrUpdate(Describe(exception), 1, (_, n) => n + 1);
            }
        }
    }

    private static async Task KillAsync(Connection monitor, string appName, double everySeconds, Stats stats, CancellationToken stop)
    {
        var random = new Random(1);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(everySeconds * (0.5 + random.NextDouble())), stop);
                var pids = (await monitor.ExecuteRawAsync("SELECT pid FROM pg_stat_activity WHERE application_name = @appName", new { appName }, stop)).Rows
                    .Select(r => Convert.ToInt64(r["pid"], CultureInfo.InvariantCulture)).ToList();
                foreach (var pid in pids.OrderBy(_ => random.Next()).Take(random.Next(1, 4)))
                {
                    stats.Killed.TryAdd(pid, 0);
                    await monitor.ExecuteAsync($"SELECT pg_terminate_backend({pid})", cancellationToken: stop);
                    Interlocked.Increment(ref stats.Kills);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static async Task WatchAsync(Connection monitor, Connection pool, string appName, Stats stats, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var sessions = (await monitor.ExecuteRawAsync("SELECT pid FROM pg_stat_activity WHERE application_name = @appName", new { appName }, CancellationToken.None)).Rows
                .Select(r => Convert.ToInt64(r["pid"], CultureInfo.InvariantCulture)).ToList();
            var count = sessions.Count;
            if (count > pool.Statistics.MaxSize && stats.Overshoots.Count < 10)
            {
                // Say whether the extra sessions are backends the killer ended that the server has not reaped yet.
                var dying = sessions.Where(stats.Killed.ContainsKey).ToList();
                stats.Overshoots.Enqueue($"{count} sessions, {dying.Count} of them killed already ({string.Join(", ", dying)}); the pool's own count: {pool.Statistics.Size}");
            }

            stats.Peak = Math.Max(stats.Peak, count);
            stats.Polls++;
            await Task.Delay(10, CancellationToken.None);
        }
    }

    private static async Task ReportAsync(Stats stats, Stopwatch clock, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), stop);
                Console.WriteLine($"{clock.Elapsed.TotalSeconds,5:0} s: {stats.Operations} operations, {stats.Errors.Values.Sum()} errors, {stats.Kills} kills, peak {stats.Peak}");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string Describe(Exception exception)
    {
        var transient = exception is SwitchboardException { IsTransient: true } ? ", transient" : "";
        var inner = exception.InnerException is { } cause ? $" <- {cause.GetType().Name}" : "";
        return $"{exception.GetType().Name}{transient}{inner}";
    }

    private sealed class Stats
    {
        public readonly ConcurrentBag<long> Acknowledged = [];
        public readonly ConcurrentBag<long> RolledBack = [];
        public readonly ConcurrentDictionary<string, int> Errors = new();
        public readonly ConcurrentDictionary<long, byte> Killed = new();
        public readonly ConcurrentQueue<string> Overshoots = new();
        public long Operations;
        public long Reads;
        public long Writes;
        public long Commits;
        public long Rollbacks;
        public long Kills;
        public int Peak;
        public long Polls;
        private long _nextId;

        public long NextId() => Interlocked.Increment(ref _nextId);
    }
}
