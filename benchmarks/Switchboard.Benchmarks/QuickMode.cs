using System.Diagnostics;
using System.Globalization;

namespace Switchboard.Benchmarks;

/// <summary>
/// A quick comparison in one process, well under a minute: for each scenario, Switchboard and each baseline run in
/// alternating rounds, and the median ratio of their times (and the ratio of bytes allocated per operation) is printed.
/// Not a substitute for the BenchmarkDotNet run, whose table the README reports.
/// </summary>
internal static class QuickMode
{
    private const int Rounds = 15;
    private static readonly TimeSpan RoundTime = TimeSpan.FromMilliseconds(40);

    // Processor time is counted in clock ticks (10 ms on Linux): rounds long enough for that to be small.
    private static readonly TimeSpan CpuRoundTime = TimeSpan.FromMilliseconds(250);

    public static int Run(TextWriter output)
    {
        var total = Stopwatch.StartNew();
        var find = new FindByIdBenchmarks();
        find.Setup();
        Compare(output, "find-by-id", find.Switchboard, ("handwritten", find.Handwritten), ("handwritten-unprepared", find.HandwrittenUnprepared), ("dapper", find.Dapper), ("efcore", find.EfCore));
        find.Cleanup();

        var whereFirst = new WhereFirstBenchmarks();
        whereFirst.Setup();
        Compare(output, "where-first", whereFirst.Switchboard, ("handwritten", whereFirst.Handwritten), ("dapper", whereFirst.Dapper), ("efcore", whereFirst.EfCore));
        whereFirst.Cleanup();

        var whereFilter = new WhereFilterBenchmarks();
        whereFilter.Setup();
        Compare(output, "where-filter", whereFilter.Switchboard, ("handwritten", whereFilter.Handwritten), ("dapper", whereFilter.Dapper), ("efcore", whereFilter.EfCore));
        whereFilter.Cleanup();

        var page = new ThousandRowsBenchmarks();
        page.Setup();
        Compare(output, "1000-rows", page.Switchboard, ("handwritten", page.Handwritten), ("dapper", page.Dapper), ("efcore", page.EfCore));
        page.Cleanup();

        var endToEnd = new EndToEndBenchmarks();
        endToEnd.Setup();
        Compare(output, "end-to-end", endToEnd.Switchboard, ("handwritten", endToEnd.Handwritten), ("dapper", endToEnd.Dapper), ("efcore", endToEnd.EfCore));
        endToEnd.Cleanup();

        var replicas = new ReplicaRoutingBenchmarks();
        replicas.Setup();
        Compare(output, "replica-routing", replicas.RoutedToReplica, ("no-replicas", replicas.WithoutReplicas));
        Difference(output, "replica-routing-step", () => Repeat(replicas.ReplicaRoutingStep), () => Repeat(replicas.TodaysRoutingStep), perOperation: StepsPerOperation);
        replicas.Cleanup();
        TenantMemoryBenchmarks.PrintFigures(output);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# quick mode took {total.Elapsed.TotalSeconds:0.0} s; times are medians of {Rounds} alternating rounds"));
        return 0;
    }

    private static void Compare(TextWriter output, string scenario, Func<object?> ours, params (string Name, Func<object?> Run)[] baselines)
    {
        foreach (var (name, baseline) in baselines)
        {
            // Warm both up (JIT, tiering, caches) before measuring.
            Measure(ours, TimeSpan.FromMilliseconds(150));
            Measure(baseline, TimeSpan.FromMilliseconds(150));
            var timeRatios = new double[Rounds];
            var oursBytes = new double[Rounds];
            var baselineBytes = new double[Rounds];
            for (var round = 0; round < Rounds; round++)
            {
                var a = Measure(ours, RoundTime);
                var b = Measure(baseline, RoundTime);
                timeRatios[round] = a.NanosecondsPerOp / b.NanosecondsPerOp;
                oursBytes[round] = a.BytesPerOp;
                baselineBytes[round] = b.BytesPerOp;
            }

            var allocRatio = Median(baselineBytes) == 0 ? double.NaN : Median(oursBytes) / Median(baselineBytes);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RATIO {scenario} switchboard/{name} {Median(timeRatios):0.000}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ALLOC {scenario} switchboard/{name} {allocRatio:0.000}"));
        }
    }

    /// <summary>What one path adds to another, in nanoseconds and bytes per operation (medians of alternating rounds).</summary>
    private const int StepsPerOperation = 1000;

    /// <summary>Runs a step many times in one operation, so that the delegate call and boxing around it do not count.</summary>
    private static bool Repeat(Func<bool> step)
    {
        var any = false;
        for (var i = 0; i < StepsPerOperation; i++)
        {
            any |= step();
        }

        return any;
    }

    private static void Difference(TextWriter output, string scenario, Func<object?> ours, Func<object?> baseline, int perOperation = 1)
    {
        // Processor time, not wall time: on a loaded machine a preempted round would count the other processes' time.
        Measure(ours, TimeSpan.FromMilliseconds(150), cpu: true);
        Measure(baseline, TimeSpan.FromMilliseconds(150), cpu: true);
        var nanoseconds = new double[Rounds];
        var bytes = new double[Rounds];
        for (var round = 0; round < Rounds; round++)
        {
            var a = Measure(ours, CpuRoundTime, cpu: true);
            var b = Measure(baseline, CpuRoundTime, cpu: true);
            nanoseconds[round] = (a.NanosecondsPerOp - b.NanosecondsPerOp) / perOperation;
            bytes[round] = (a.BytesPerOp - b.BytesPerOp) / perOperation;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ADDED {scenario} {Median(nanoseconds):0} ns {Median(bytes):0} B (processor time)"));
    }

    private static (double NanosecondsPerOp, double BytesPerOp) Measure(Func<object?> operation, TimeSpan duration, bool cpu = false)
    {
        var operations = 0;
        var bytesBefore = GC.GetAllocatedBytesForCurrentThread();
        var process = Process.GetCurrentProcess();
        var cpuBefore = cpu ? process.TotalProcessorTime : TimeSpan.Zero;
        var watch = Stopwatch.StartNew();
        do
        {
            for (var i = 0; i < 8; i++)
            {
                GC.KeepAlive(operation());
            }

            operations += 8;
        }
        while (watch.Elapsed < duration);

        watch.Stop();
        var bytes = GC.GetAllocatedBytesForCurrentThread() - bytesBefore;
        if (cpu)
        {
            process.Refresh();
            return ((process.TotalProcessorTime - cpuBefore).TotalNanoseconds / operations, (double)bytes / operations);
        }

        return (watch.Elapsed.TotalNanoseconds / operations, (double)bytes / operations);
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
