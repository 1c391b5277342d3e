using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.EntityFrameworkCore;

namespace Switchboard.Benchmarks;

/// <summary>A query materialising 1,000 records (ordered page of the Posts table).</summary>
[MemoryDiagnoser]
public class ThousandRowsBenchmarks
{
    private static readonly Func<PostsContext, int, IEnumerable<PlainPost>> Compiled =
        EF.CompileQuery((PostsContext context, int start) => context.Posts.AsNoTracking().Where(p => p.Id > start).OrderBy(p => p.Id).Take(1000));

    private OpenBaselines _baselines = null!;
    private int _page;

    [GlobalSetup]
    public void Setup() => _baselines = new OpenBaselines("thousand-rows", BenchmarkData.PageSql, "@start");

    [GlobalCleanup]
    public void Cleanup() => _baselines.Dispose();

    [Benchmark(Baseline = true, Description = "hand-written ADO.NET, prepared")]
    public List<PlainPost> Handwritten()
    {
        _baselines.PreparedParameter.Value = NextStart();
        var posts = new List<PlainPost>();
        using var reader = _baselines.Prepared.ExecuteReader();
        while (reader.Read())
        {
            posts.Add(PlainPost.Read(reader));
        }

        return posts;
    }

    [Benchmark(Description = "Dapper Query")]
    public List<PlainPost> Dapper() => _baselines.Connection.Query<PlainPost>(BenchmarkData.PageSql, new { start = NextStart() }).AsList();

    [Benchmark(Description = "EF Core compiled, no tracking")]
    public List<PlainPost> EfCore() => Compiled(_baselines.Context, NextStart()).ToList();

    [Benchmark(Description = "Switchboard Where/OrderBy/Limit")]
    public List<Post> Switchboard()
    {
        var start = NextStart();
        return Post.Where(p => p.Id > start).OrderBy(p => p.Id).Limit(1000).All();
    }

    private int NextStart() => _page = (_page + 1) % 4 * 1000;
}
