using System.Globalization;
using BenchmarkDotNet.Attributes;

namespace Switchboard.Benchmarks;

/// <summary>
/// What a fleet of tenants costs in memory: 10,000 SQLite tenants configured and never used, and 10,000 used once and
/// then evicted (MaxOpenPools = 1). Each figure is the managed heap after a full, compacting collection, minus the heap
/// before, divided by the number of tenants. <c>--quick</c> prints them as <c>FIGURE tenants ...</c> lines; the
/// BenchmarkDotNet run times configuring the fleet and reports its allocations.
/// </summary>
[MemoryDiagnoser]
public class TenantMemoryBenchmarks
{
    public const int Tenants = 10_000;

    /// <summary>Configures 10,000 tenants in a new registry (nothing opens).</summary>
    [Benchmark]
    public object ConfigureTenThousandTenants()
    {
        var folder = Path.Combine(Path.GetTempPath(), "switchboard-bench-tenants");
        var registry = new ConnectionRegistry();
        for (var i = 0; i < Tenants; i++)
        {
            registry.Configure($"tenant:{i}", new ConnectionConfig { Driver = "sqlite", Database = Path.Combine(folder, $"t{i}.db") });
        }

        return registry;
    }

    /// <summary>Prints the two memory figures (about ten seconds: the evicted case opens and closes 10,000 SQLite files).</summary>
    public static void PrintFigures(TextWriter output)
    {
        var folder = Directory.CreateTempSubdirectory("switchboard-bench-tenants").FullName;
        try
        {
            var configured = BytesPerTenant(folder, use: false);
            var evicted = BytesPerTenant(folder, use: true);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FIGURE tenants bytes-per-configured {configured:0}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FIGURE tenants bytes-per-evicted {evicted:0}"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double BytesPerTenant(string folder, bool use)
    {
        // Warm the code paths (JIT, static caches, driver statics) on another registry, so that only per-tenant state is counted.
        Fleet(Path.Combine(folder, "warm"), 50, use).DisposeAll();
        var before = HeapAfterFullCollection();
        var registry = Fleet(Path.Combine(folder, use ? "evicted" : "configured"), Tenants, use);
        var after = HeapAfterFullCollection();
        GC.KeepAlive(registry);
        registry.DisposeAll();
        return (after - before) / (double)Tenants;
    }

    private static ConnectionRegistry Fleet(string folder, int tenants, bool use)
    {
        Directory.CreateDirectory(folder);
        var registry = new ConnectionRegistry();
        if (use)
        {
            registry.MaxOpenPools = 1; // each tenant's first use evicts the one before it
        }

        for (var i = 0; i < tenants; i++)
        {
            var connection = registry.Configure($"tenant:{i}", new ConnectionConfig { Driver = "sqlite", Database = Path.Combine(folder, $"t{i}.db") });
            if (use)
            {
                connection.Scalar<long>("SELECT 1");
            }
        }

        return registry;
    }

    private static long HeapAfterFullCollection()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
