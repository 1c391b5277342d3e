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

    public static int Run(TextWriter output)
    {
        var total = Stopwatch.StartNew();
        var find = new FindByIdBenchmarks();
        find.Setup();
        Compare(output, "find-by-id", find.Switchboard, ("handwritten", find.Handwritten), ("handwritten-unprepared", find.HandwrittenUnprepared), ("dapper", find.Dapper), ("efcore", find.EfCore));
        find.Cleanup();

        var page = new ThousandRowsBenchmarks();
        page.Setup();
        Compare(output, "1000-rows", page.Switchboard, ("handwritten", page.Handwritten), ("dapper", page.Dapper), ("efcore", page.EfCore));
        page.Cleanup();

        var endToEnd = new EndToEndBenchmarks();
        endToEnd.Setup();
        Compare(output, "end-to-end", endToEnd.Switchboard, ("handwritten", endToEnd.Handwritten), ("dapper", endToEnd.Dapper), ("efcore", endToEnd.EfCore));
        endToEnd.Cleanup();

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

    private static (double NanosecondsPerOp, double BytesPerOp) Measure(Func<object?> operation, TimeSpan duration)
    {
        var operations = 0;
        var bytesBefore = GC.GetAllocatedBytesForCurrentThread();
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
        return (watch.Elapsed.TotalNanoseconds / operations, (double)bytes / operations);
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
