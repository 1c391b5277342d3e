using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Switchboard.Benchmarks;

// dotnet run -c Release --project benchmarks/Switchboard.Benchmarks -- --quick    one-process ratios in under a minute
// dotnet run -c Release --project benchmarks/Switchboard.Benchmarks -- --filter '*' the full BenchmarkDotNet run
// dotnet run -c Release --project benchmarks/Switchboard.Benchmarks -- --filter '*Copy*' the copy (100,000 rows, PostgreSQL), its own short job
if (args.Contains("--quick"))
{
    return QuickMode.Run(Console.Out, args);
}

// Benchmarks against PostgreSQL run only when a server is named, as the tests do.
var havePostgres = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_POSTGRES"));
// The copy (seconds per operation) runs only when asked for by name, with the short job its class declares.
var copy = args.Any(a => a.Contains("Copy", StringComparison.Ordinal));
var config = DefaultConfig.Instance
    .AddFilter(new SimpleFilter(b => havePostgres || !b.Descriptor.Categories.Any(c => c.Contains("postgres", StringComparison.Ordinal))))
    .AddFilter(new SimpleFilter(b => copy == b.Descriptor.Categories.Contains("postgres-copy")))
    .AddJob(copy ? [] : [Job.Default.WithWarmupCount(3).WithIterationCount(12).WithLaunchCount(1)])
    .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value))
    .AddColumn(RankColumn.Arabic)
    .WithOptions(ConfigOptions.JoinSummary);
BenchmarkSwitcher.FromAssembly(typeof(Post).Assembly).Run(args, config);
return 0;
