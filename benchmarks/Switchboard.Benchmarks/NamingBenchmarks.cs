using System.ComponentModel.DataAnnotations.Schema;
using BenchmarkDotNet.Attributes;

namespace Switchboard.Benchmarks;

/// <summary>
/// What <c>naming: auto</c> (columns found in the catalog) costs after its one catalog read: the same queries on the same
/// SQLite file through two connections, one <c>auto</c> (the default) and one <c>as_declared</c>.
/// </summary>
[MemoryDiagnoser]
public class NamingBenchmarks
{
    private int _page;
    private int _id;

    [GlobalSetup]
    public void Setup()
    {
        var file = BenchmarkData.Create("naming");
        BenchmarkData.ConfigureSwitchboard(file);
        ConnectionManager.Configure("bench_declared", new ConnectionConfig { Driver = "sqlite", Database = file, PoolSize = 4, PoolRecycle = null, Naming = NamingConvention.AsDeclared }, replace: true);
    }

    [GlobalCleanup]
    public void Cleanup() => ConnectionManager.DisposeAll();

    [Benchmark(Baseline = true, Description = "1,000 rows, naming: as_declared")]
    public List<DeclaredPost> ThousandRowsAsDeclared()
    {
        var start = NextStart();
        return DeclaredPost.Where(p => p.Id > start).OrderBy(p => p.Id).Limit(1000).All();
    }

    [Benchmark(Description = "1,000 rows, naming: auto")]
    public List<Post> ThousandRowsAuto()
    {
        var start = NextStart();
        return Post.Where(p => p.Id > start).OrderBy(p => p.Id).Limit(1000).All();
    }

    [Benchmark(Description = "find by id, naming: as_declared")]
    public DeclaredPost FindAsDeclared() => DeclaredPost.Find(NextId());

    [Benchmark(Description = "find by id, naming: auto")]
    public Post FindAuto() => Post.Find(NextId());

    private int NextStart() => _page = (_page + 1) % 4 * 1000;

    private int NextId() => _id = (_id % BenchmarkData.Rows) + 1;
}

/// <summary>The Posts row on a connection with <c>naming: as_declared</c> (no catalog read).</summary>
[Connection("bench_declared")]
[Table("Posts")]
public class DeclaredPost : PostRow<DeclaredPost>;
