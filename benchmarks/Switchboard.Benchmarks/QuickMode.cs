using System.Diagnostics;
using System.Globalization;

namespace Switchboard.Benchmarks;

/// <summary>
/// A quick comparison in one process: for each scenario, Switchboard and each baseline run in alternating rounds, and the
/// median ratio of their times (with the middle half of the rounds' ratios), and the ratio of bytes allocated per
/// operation, are printed. Not a substitute for the BenchmarkDotNet run, whose table the README reports.
/// </summary>
/// <remarks>
/// <c>--quick [scenario[/baseline] ...] [--cpu] [--rounds N]</c>. Scenario names select what runs (all by default), and
/// <c>find-by-id/handwritten</c> one baseline of a scenario. <c>--cpu</c>
/// times the benchmark thread's own processor time instead of wall time: on a machine shared with other work, a round
/// in which this thread was preempted then counts only what it ran. Use it for SQLite, whose statements run on the
/// calling thread; PostgreSQL's time is mostly the server's and the network's, so its scenarios are always timed by
/// wall clock.
/// </remarks>
internal static class QuickMode
{
    private static readonly TimeSpan RoundTime = TimeSpan.FromMilliseconds(40);

    // Processor time is counted in clock ticks (10 ms on Linux): rounds long enough for that to be small.
    private static readonly TimeSpan CpuRoundTime = TimeSpan.FromMilliseconds(250);

    private static int s_rounds = 15;
    private static bool s_threadTime;
    private static List<string> s_selected = [];

    public static int Run(TextWriter output, string[] args)
    {
        var total = Stopwatch.StartNew();
        var selected = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    break;
                case "--cpu":
                    s_threadTime = ThreadTime.Available;
                    break;
                case "--rounds" when i + 1 < args.Length:
                    s_rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    selected.Add(args[i]);
                    break;
            }
        }

        s_selected = selected;
        bool Wanted(string scenario) => selected.Count == 0 || selected.Exists(s => s == scenario || s.StartsWith(scenario + "/", StringComparison.Ordinal));

        if (Wanted("find-by-id"))
        {
            var find = new FindByIdBenchmarks();
            find.Setup();
            Compare(output, "find-by-id", find.Switchboard, ("handwritten", find.Handwritten), ("handwritten-unprepared", find.HandwrittenUnprepared), ("dapper", find.Dapper), ("efcore", find.EfCore));
            find.Cleanup();
        }

        if (Wanted("where-first"))
        {
            var whereFirst = new WhereFirstBenchmarks();
            whereFirst.Setup();
            Compare(output, "where-first", whereFirst.Switchboard, ("handwritten", whereFirst.Handwritten), ("dapper", whereFirst.Dapper), ("efcore", whereFirst.EfCore));
            whereFirst.Cleanup();
        }

        if (Wanted("where-filter"))
        {
            var whereFilter = new WhereFilterBenchmarks();
            whereFilter.Setup();
            Compare(output, "where-filter", whereFilter.Switchboard, ("handwritten", whereFilter.Handwritten), ("dapper", whereFilter.Dapper), ("efcore", whereFilter.EfCore));
            whereFilter.Cleanup();
        }

        if (Wanted("in-list"))
        {
            var inList = new InListBenchmarks();
            inList.Setup();
            Compare(output, "in-list-2000", inList.Switchboard, ("handwritten", inList.Handwritten), ("dapper", inList.Dapper), ("efcore", inList.EfCore));
            inList.Cleanup();
        }

        if (Wanted("1000-rows"))
        {
            var page = new ThousandRowsBenchmarks();
            page.Setup();
            Compare(output, "1000-rows", page.Switchboard, ("handwritten", page.Handwritten), ("dapper", page.Dapper), ("efcore", page.EfCore));
            page.Cleanup();
        }

        if (Wanted("naming"))
        {
            // naming: auto against as_declared, the same queries on the same file, so that the machine's noise cancels.
            var naming = new NamingBenchmarks();
            naming.Setup();
            Compare(output, "naming-1000-rows", naming.ThousandRowsAuto, ("as-declared", naming.ThousandRowsAsDeclared));
            Compare(output, "naming-find-by-id", naming.FindAuto, ("as-declared", naming.FindAsDeclared));
            naming.Cleanup();
        }

        if (Wanted("insert-1000"))
        {
            var insert = new InsertBenchmarks();
            insert.Setup();
            Compare(output, "insert-1000", () => insert.Switchboard(), ("handwritten", () => insert.Handwritten()), ("dapper", () => insert.Dapper()), ("efcore", () => insert.EfCore()));
            insert.Cleanup();
        }

        if (Wanted("end-to-end"))
        {
            var endToEnd = new EndToEndBenchmarks();
            endToEnd.Setup();
            Compare(output, "end-to-end", endToEnd.Switchboard, ("handwritten", endToEnd.Handwritten), ("dapper", endToEnd.Dapper), ("efcore", endToEnd.EfCore));
            endToEnd.Cleanup();
        }

        if (Wanted("postgres-find-by-id"))
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_POSTGRES")))
            {
                output.WriteLine("# postgres-find-by-id skipped: SWITCHBOARD_TEST_POSTGRES is not set");
            }
            else
            {
                var postgres = new PostgresBenchmarks();
                postgres.Setup();
                var threadTime = s_threadTime;
                s_threadTime = false;
                Compare(output, "postgres-find-by-id", postgres.FindSwitchboard, ("handwritten", postgres.FindHandwritten), ("dapper", postgres.FindDapper), ("efcore", postgres.FindEfCore));
                s_threadTime = threadTime;
                postgres.Cleanup();
            }
        }

        if (Wanted("replica-routing"))
        {
            var replicas = new ReplicaRoutingBenchmarks();
            replicas.Setup();
            Compare(output, "replica-routing", replicas.RoutedToReplica, ("no-replicas", replicas.WithoutReplicas));
            Difference(output, "replica-routing-step", () => Repeat(replicas.ReplicaRoutingStep), () => Repeat(replicas.TodaysRoutingStep), perOperation: StepsPerOperation);
            replicas.Cleanup();
        }

        if (Wanted("tenants"))
        {
            TenantMemoryBenchmarks.PrintFigures(output);
        }

        var clock = s_threadTime ? "this thread's processor time" : "wall time";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# quick mode took {total.Elapsed.TotalSeconds:0.0} s; times are medians of {s_rounds} alternating rounds ({clock}), [first quartile–third quartile] of the rounds' ratios"));
        return 0;
    }

    private static void Compare(TextWriter output, string scenario, Func<object?> ours, params (string Name, Func<object?> Run)[] baselines)
    {
        foreach (var (name, baseline) in baselines)
        {
            if (s_selected.Exists(s => s.StartsWith(scenario + "/", StringComparison.Ordinal)) && !s_selected.Contains(scenario + "/" + name))
            {
                continue;
            }

            // Warm both up (JIT, tiering, caches) before measuring.
            Measure(ours, TimeSpan.FromMilliseconds(150));
            Measure(baseline, TimeSpan.FromMilliseconds(150));
            var timeRatios = new double[s_rounds];
            var oursTimes = new double[s_rounds];
            var oursBytes = new double[s_rounds];
            var baselineBytes = new double[s_rounds];
            var roundTime = s_threadTime ? CpuRoundTime : RoundTime;
            for (var round = 0; round < s_rounds; round++)
            {
                var a = Measure(ours, roundTime);
                var b = Measure(baseline, roundTime);
                timeRatios[round] = a.NanosecondsPerOp / b.NanosecondsPerOp;
                oursTimes[round] = a.NanosecondsPerOp;
                oursBytes[round] = a.BytesPerOp;
                baselineBytes[round] = b.BytesPerOp;
            }

            var allocRatio = Median(baselineBytes) == 0 ? double.NaN : Median(oursBytes) / Median(baselineBytes);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RATIO {scenario} switchboard/{name} {Median(timeRatios):0.000} [{Quantile(timeRatios, 0.25):0.000}–{Quantile(timeRatios, 0.75):0.000}] ({Median(oursTimes) / 1000:0.00} µs)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ALLOC {scenario} switchboard/{name} {allocRatio:0.000} ({Median(oursBytes):0} B vs {Median(baselineBytes):0} B)"));
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
        var nanoseconds = new double[s_rounds];
        var bytes = new double[s_rounds];
        for (var round = 0; round < s_rounds; round++)
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
        var threadBefore = s_threadTime ? ThreadTime.Nanoseconds() : 0;
        var watch = Stopwatch.StartNew();
        do
        {
            for (var i = 0; i < 8; i++)
            {
                GC.KeepAlive(operation());
            }

            operations += 8;
        }
        while ((s_threadTime ? TimeSpan.FromTicks((ThreadTime.Nanoseconds() - threadBefore) / 100) : watch.Elapsed) < duration);

        watch.Stop();
        var bytes = GC.GetAllocatedBytesForCurrentThread() - bytesBefore;
        if (cpu)
        {
            process.Refresh();
            return ((process.TotalProcessorTime - cpuBefore).TotalNanoseconds / operations, (double)bytes / operations);
        }

        if (s_threadTime)
        {
            return ((double)(ThreadTime.Nanoseconds() - threadBefore) / operations, (double)bytes / operations);
        }

        return (watch.Elapsed.TotalNanoseconds / operations, (double)bytes / operations);
    }

    private static double Median(double[] values) => Quantile(values, 0.5);

    /// <summary>The value at <paramref name="q"/> of the sorted values, interpolated between neighbours.</summary>
    private static double Quantile(double[] values, double q)
    {
        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}
