using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Switchboard.Benchmarks;

// dotnet run -c Release --project benchmarks/Switchboard.Benchmarks -- --quick    one-process ratios in under a minute
// dotnet run -c Release --project benchmarks/Switchboard.Benchmarks -- --filter '*' the full BenchmarkDotNet run
if (args.Contains("--quick"))
{
    return QuickMode.Run(Console.Out);
}

// Benchmarks against PostgreSQL run only when a server is named, as the tests do.
var havePostgres = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_POSTGRES"));
var config = DefaultConfig.Instance
    .AddFilter(new SimpleFilter(b => havePostgres || !b.Descriptor.Categories.Any(c => c.Contains("postgres", StringComparison.Ordinal))))
    .AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(12).WithLaunchCount(1))
    .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value))
    .AddColumn(RankColumn.Arabic)
    .WithOptions(ConfigOptions.JoinSummary);
BenchmarkSwitcher.FromAssembly(typeof(Post).Assembly).Run(args, config);
return 0;
