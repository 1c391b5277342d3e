using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Pooling;

public sealed class PoolEvictionTests
{
    [Fact]
    public void AnIdlePool_PastEvictAfter_IsEvictedWhole_AndOpensAgainOnNextUse()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        var tenant = Tenant(db, "tenant_a", evictAfter: 60);
        tenant.Execute("CREATE TABLE t (v INTEGER)");
        tenant.Execute("INSERT INTO t VALUES (1)");
        Assert.Equal(1, db.Registry.OpenPools);
        Assert.True(IsOpenByThisProcess(db.File("tenant_a.db")));

        clock.Advance(TimeSpan.FromSeconds(59));
        db.Registry.Sweep();
        Assert.Equal(1, db.Registry.OpenPools);
        Assert.Equal(1, tenant.Statistics.Idle);

        clock.Advance(TimeSpan.FromSeconds(1));
        db.Registry.Sweep();
        Assert.Equal(0, db.Registry.OpenPools);
        Assert.Null(tenant.PoolIfOpen);
        Assert.Equal(0, tenant.Statistics.Size);
        Assert.False(IsOpenByThisProcess(db.File("tenant_a.db")));

        // The next statement opens the pool again; nothing was lost.
        tenant.Execute("INSERT INTO t VALUES (2)");
        Assert.Equal(3, tenant.Scalar<long>("SELECT SUM(v) FROM t"));
        Assert.Equal(1, db.Registry.OpenPools);
    }

    [Fact]
    public void TheSweeperTimer_EvictsWithoutACall()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        var tenant = Tenant(db, "tenant_timer", evictAfter: 10);
        tenant.Execute("SELECT 1");

        clock.Advance(TimeSpan.FromSeconds(12));

        Assert.Equal(0, db.Registry.OpenPools);
    }

    [Fact]
    public void Eviction_NeverClosesAConnectionInsideATransaction()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        var tenant = Tenant(db, "tenant_tx", evictAfter: 5);
        tenant.Execute("CREATE TABLE t (v INTEGER)");
        db.Registry.MaxOpenPools = 1;

        using (var transaction = tenant.BeginTransaction())
        {
            tenant.Execute("INSERT INTO t VALUES (1)");
            clock.Advance(TimeSpan.FromSeconds(60));
            db.Registry.Sweep();
            Tenant(db, "tenant_other", evictAfter: 5).Execute("SELECT 1"); // over MaxOpenPools: only an idle pool may go
            Assert.NotNull(tenant.PoolIfOpen);
            Assert.Equal(1, tenant.Statistics.InUse);
            tenant.Execute("INSERT INTO t VALUES (2)");
            transaction.Commit();
        }

        Assert.Equal(3, tenant.Scalar<long>("SELECT SUM(v) FROM t"));
    }

    [Fact]
    public void OverMaxOpenPools_TheLeastRecentlyUsedIdlePoolIsEvicted_BeforeANewOneOpens()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        db.Registry.MaxOpenPools = 2;
        var tenants = Enumerable.Range(0, 4).Select(i => Tenant(db, $"lru_{i}", evictAfter: -1)).ToArray();

        tenants[0].Execute("SELECT 1");
        clock.Advance(TimeSpan.FromSeconds(1));
        tenants[1].Execute("SELECT 1");
        clock.Advance(TimeSpan.FromSeconds(1));
        tenants[0].Execute("SELECT 1"); // 1 is now the least recently used
        clock.Advance(TimeSpan.FromSeconds(1));
        tenants[2].Execute("SELECT 1");

        Assert.Equal(2, db.Registry.OpenPools);
        Assert.NotNull(tenants[0].PoolIfOpen);
        Assert.Null(tenants[1].PoolIfOpen);
        Assert.NotNull(tenants[2].PoolIfOpen);

        // A pool with a connection checked out is never the one to go: the idle one goes instead.
        using var held = tenants[0].BeginTransaction();
        tenants[0].Execute("SELECT 1");
        clock.Advance(TimeSpan.FromSeconds(1));
        tenants[3].Execute("SELECT 1");
        Assert.NotNull(tenants[0].PoolIfOpen);
        Assert.Null(tenants[2].PoolIfOpen);
        Assert.Equal(2, db.Registry.OpenPools);
    }

    [Fact]
    public async Task EvictionRacingCheckouts_UnderTheFakeClock_LosesNothing()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        db.Registry.MaxOpenPools = 3;
        var prefix = "race_" + Guid.NewGuid().ToString("N")[..8] + "_";
        var tenants = Enumerable.Range(0, 6).Select(i => Tenant(db, $"{prefix}{i}", evictAfter: 1)).ToArray();
        foreach (var tenant in tenants)
        {
            tenant.Execute("CREATE TABLE t (worker INTEGER, n INTEGER)");
        }

        var evicted = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == SwitchboardDiagnostics.PoolsEvicted)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Value is string pool && pool.StartsWith(prefix, StringComparison.Ordinal))
                {
                    Interlocked.Add(ref evicted, value);
                }
            }
        });
        listener.Start();

        using var stop = new CancellationTokenSource();
        var evictor = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                clock.Advance(TimeSpan.FromSeconds(2)); // fires the registry's sweeper timer as well
                db.Registry.Sweep();
                await Task.Yield();
            }
        });

        const int Workers = 8;
        const int PerWorker = 150;
        var errors = new ConcurrentQueue<Exception>();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            for (var n = 0; n < PerWorker; n++)
            {
                var tenant = tenants[(worker + n) % tenants.Length];
                try
                {
                    if (n % 5 == 0)
                    {
                        using var transaction = tenant.BeginTransaction();
                        await tenant.ExecuteAsync("INSERT INTO t VALUES (@w, @n)", new { w = worker, n });
                        clock.Advance(TimeSpan.FromSeconds(2));
                        await tenant.ExecuteAsync("INSERT INTO t VALUES (@w, @n)", new { w = worker, n = -n - 1 });
                        transaction.Commit();
                    }
                    else
                    {
                        await tenant.ExecuteAsync("INSERT INTO t VALUES (@w, @n)", new { w = worker, n });
                    }
                }
                catch (Exception exception)
                {
                    errors.Enqueue(exception);
                }
            }
        })));
        await stop.CancelAsync();
        await evictor;

        Assert.Empty(errors);
        var rows = tenants.Sum(t => t.Scalar<long>("SELECT COUNT(*) FROM t"));
        Assert.Equal(Workers * PerWorker + (Workers * PerWorker / 5), rows);
        Assert.True(Interlocked.Read(ref evicted) > 0, "no pool was evicted during the run");
        Assert.True(db.Registry.OpenPools <= tenants.Length);
    }

    [Fact]
    public void EvictAfter_IsValidated()
    {
        using var db = new TestDatabase();
        var error = Assert.Throws<ConfigurationException>(() => db.Registry.Configure("bad", new Dictionary<string, object?> { ["driver"] = "sqlite", ["database"] = db.File("b.db"), ["evict_after"] = 0 }));
        Assert.Equal("evict_after", error.Key);
        Assert.Throws<ArgumentOutOfRangeException>(() => db.Registry.MaxOpenPools = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => db.Registry.MaxConnectionsPerHost = 0);
    }

    // The fake clock races far ahead of real time here: statement and pool deadlines (which read it) are off, and SQLite's
    // own lock wait (busy_timeout, real time) bounds the contention between workers.
    private static Connection Tenant(TestDatabase db, string name, double evictAfter) =>
        db.Registry.Configure(name, new Dictionary<string, object?>
        {
            ["driver"] = "sqlite",
            ["database"] = db.File(name + ".db"),
            ["evict_after"] = evictAfter,
            ["busy_timeout"] = 30,
            ["command_timeout"] = 0,
            ["pool_timeout"] = 1_000_000,
        });

    /// <summary>Whether a file descriptor of this process points at the file (Linux); true elsewhere, so the assertion is skipped.</summary>
    private static bool IsOpenByThisProcess(string path)
    {
        if (!Directory.Exists("/proc/self/fd"))
        {
            return !path.Contains("tenant", StringComparison.Ordinal) || true;
        }

        var full = Path.GetFullPath(path);
        return Directory.GetFiles("/proc/self/fd").Any(fd =>
        {
            try
            {
                return new FileInfo(fd).LinkTarget == full;
            }
            catch (IOException)
            {
                return false;
            }
        });
    }
}
