using BenchmarkDotNet.Attributes;

namespace Switchboard.Benchmarks;

/// <summary>What routing costs: entering a scope, resolving a model's connection, and a find under a scope or Using.</summary>
[MemoryDiagnoser]
public class RoutingBenchmarks
{
    private int _id;

    [GlobalSetup]
    public void Setup()
    {
        var file = BenchmarkData.Create("routing");
        BenchmarkData.ConfigureSwitchboard(file);
        BenchmarkData.ConfigureSwitchboard(file, "bench_other");
    }

    [GlobalCleanup]
    public void Cleanup() => ConnectionManager.DisposeAll();

    [Benchmark(Baseline = true, Description = "Post.Find (attribute routing)")]
    public Post Find() => Post.Find(NextId());

    [Benchmark(Description = "Post.Find inside UsingConnection")]
    public Post FindInScope()
    {
        using (Post.UsingConnection("bench_other"))
        {
            return Post.Find(NextId());
        }
    }

    [Benchmark(Description = "Post.Using(name).Find")]
    public Post FindUsing() => Post.Using("bench_other").Find(NextId());

    [Benchmark(Description = "UsingConnection enter + exit")]
    public void ScopeEntryAndExit()
    {
        using (Post.UsingConnection("bench_other"))
        {
        }
    }

    [Benchmark(Description = "name to pool: Post.GetConnection()")]
    public Connection Resolve() => Post.GetConnection();

    private int NextId() => _id = (_id % BenchmarkData.Rows) + 1;
}
