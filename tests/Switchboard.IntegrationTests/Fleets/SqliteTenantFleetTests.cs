using System.Collections.Concurrent;
using Switchboard.Tests.Support;

namespace Switchboard.IntegrationTests.Fleets;

/// <summary>
/// 2,000 SQLite tenant files configured on first use by a resolver, with at most 50 pools open and 16 workers: no tenant
/// sees another's rows, the process never holds more than 50 tenant files open, and nothing is lost across evictions.
/// </summary>
public sealed class SqliteTenantFleetTests : IDisposable
{
    private const int Tenants = 2_000;
    private const int MaxOpen = 50;
    private const int Workers = 16;
    private const int OperationsPerWorker = 375; // each tenant is used three times, evicted in between

    private readonly string _folder = Directory.CreateTempSubdirectory("switchboard-fleet").FullName;
    private readonly ConnectionRegistry _registry = new();

    [Fact]
    public async Task TwoThousandTenants_FiftyOpenPools_SixteenWorkers_StayApartAndLoseNothing()
    {
        _registry.MaxOpenPools = MaxOpen;
        _registry.ConfigureResolver("tenant:", name => new ConnectionConfig
        {
            Driver = "sqlite",
            Database = Path.Combine(_folder, "t" + name["tenant:".Length..] + ".db"),
            PoolSize = 2,
            BusyTimeout = TimeSpan.FromSeconds(30),
        });

        var expected = new ConcurrentDictionary<int, int>();
        var errors = new ConcurrentQueue<string>();
        var peakTenantsOpen = 0;
        using var stop = new CancellationTokenSource();
        var samples = 0;
        var quietSample = -1;
        var completed = 0;
        // Each operation holds one of these slots; the quiet sample holds them all, so no tenant opens or closes under it.
        using var operating = new SemaphoreSlim(Workers);
        var sampler = Task.Run(() =>
        {
            // One exact count halfway through: every worker is held between two operations, their pools open and idle.
            while (Volatile.Read(ref completed) < Workers * OperationsPerWorker / 2 && !stop.IsCancellationRequested)
            {
                Thread.Sleep(1);
            }

            for (var held = 0; held < Workers; held++)
            {
                operating.Wait();
            }

            quietSample = TenantFilesOpen();
            operating.Release(Workers);

            // /proc/self/fd is read one descriptor at a time, so a slow pass (this thread descheduled on a busy machine) sees
            // files closed and others opened during it, which were never open together: only quick passes count.
            var watch = new System.Diagnostics.Stopwatch();
            while (!stop.IsCancellationRequested)
            {
                watch.Restart();
                var open = TenantFilesOpen();
                if (watch.Elapsed < TimeSpan.FromMilliseconds(2))
                {
                    samples++;
                    peakTenantsOpen = Math.Max(peakTenantsOpen, open);
                }

                Thread.Sleep(1);
            }
        });

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < OperationsPerWorker; i++)
            {
                var tenant = ((i * Workers) + worker) * 7 % Tenants; // a stride that visits every tenant, far apart in time
                await operating.WaitAsync();
                var connection = _registry.GetConnection($"tenant:{tenant}");
                try
                {
                    await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS rows (tenant INTEGER NOT NULL, worker INTEGER NOT NULL)");
                    await connection.ExecuteAsync("INSERT INTO rows VALUES (@tenant, @worker)", new { tenant, worker });
                    expected.AddOrUpdate(tenant, 1, (_, n) => n + 1);
                    var foreign = await connection.ScalarAsync<long>("SELECT COUNT(*) FROM rows WHERE tenant <> @tenant", new { tenant });
                    if (foreign != 0)
                    {
                        errors.Enqueue($"tenant {tenant} sees {foreign} rows of other tenants");
                    }
                }
                catch (Exception exception)
                {
                    errors.Enqueue($"tenant {tenant}: {exception.GetType().Name}: {exception.Message}");
                }
                finally
                {
                    operating.Release();
                    Interlocked.Increment(ref completed);
                }
            }
        })));
        await stop.CancelAsync();
        await sampler;

        TestContext.Current.TestOutputHelper?.WriteLine($"FLEET sqlite tenants={Tenants} peak-tenant-files-open={peakTenantsOpen} quick-samples={samples} halfway={quietSample}");
        Assert.Empty(errors);
        Assert.InRange(_registry.OpenPools, 1, MaxOpen);
        // The exact count is the one halfway, with every worker held between operations (a busy machine may leave no
        // quick pass at all). /proc/self/fd cannot be read atomically: during a quick pass one tenant's database file may
        // close and another's open on a descriptor not read yet, so such a pass may count one tenant too many.
        Assert.InRange(quietSample, 1, MaxOpen);
        Assert.InRange(peakTenantsOpen, 0, MaxOpen + 1);
        Assert.InRange(TenantFilesOpen(), 1, MaxOpen);
        Assert.Equal(Tenants, expected.Count);
        foreach (var (tenant, count) in expected)
        {
            var connection = _registry.GetConnection($"tenant:{tenant}");
            Assert.Equal(count, await connection.ScalarAsync<long>("SELECT COUNT(*) FROM rows WHERE tenant = @tenant", new { tenant }));
        }

        Assert.InRange(TenantFilesOpen(), 0, MaxOpen);
    }

    public void Dispose()
    {
        _registry.DisposeAll();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>How many tenants have their database file open in this process now, read from /proc/self/fd (one descriptor each, so a descriptor reused during the read is not counted twice).</summary>
    private int TenantFilesOpen()
    {
        if (!Directory.Exists("/proc/self/fd"))
        {
            Assert.Skip("/proc/self/fd is not available on this system, so open files cannot be counted.");
        }

        var tenants = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.GetFiles("/proc/self/fd"))
        {
            try
            {
                // The database file only (its -wal, -shm and -journal files come and go with it).
                if (new FileInfo(fd).LinkTarget is { } target
                    && target.StartsWith(_folder, StringComparison.Ordinal)
                    && Path.GetFileName(target) is var file
                    && file.EndsWith(".db", StringComparison.Ordinal))
                {
                    tenants.Add(file);
                }
            }
            catch (IOException)
            {
                // closed while listed
            }
        }

        return tenants.Count;
    }
}
