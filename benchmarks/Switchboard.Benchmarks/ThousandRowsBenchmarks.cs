using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Switchboard.Benchmarks;

/// <summary>A query materialising 1,000 records (ordered page of the Posts table).</summary>
[MemoryDiagnoser]
public class ThousandRowsBenchmarks
{
    private static readonly Func<PostsContext, int, IEnumerable<PlainPost>> Compiled =
        EF.CompileQuery((PostsContext context, int start) => context.Posts.AsNoTracking().Where(p => p.Id > start).OrderBy(p => p.Id).Take(1000));

    private SqliteConnection _open = null!;
    private SqliteCommand _prepared = null!;
    private SqliteParameter _preparedStart = null!;
    private PostsContext _context = null!;
    private int _page;

    [GlobalSetup]
    public void Setup()
    {
        var file = BenchmarkData.Create("thousand-rows");
        BenchmarkData.ConfigureSwitchboard(file);
        _open = new SqliteConnection($"Data Source={file};Pooling=False");
        _open.Open();
        _prepared = new SqliteCommand(BenchmarkData.PageSql, _open);
        _preparedStart = _prepared.Parameters.Add("@start", SqliteType.Integer);
        _prepared.Prepare();
        _context = new PostsContext(new DbContextOptionsBuilder<PostsContext>().UseSqlite(_open).Options);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _context.Dispose();
        _prepared.Dispose();
        _open.Dispose();
        ConnectionManager.DisposeAll();
    }

    [Benchmark(Baseline = true, Description = "hand-written ADO.NET, prepared")]
    public List<PlainPost> Handwritten()
    {
        _preparedStart.Value = NextStart();
        var posts = new List<PlainPost>();
        using var reader = _prepared.ExecuteReader();
        while (reader.Read())
        {
            posts.Add(PlainPost.Read(reader));
        }

        return posts;
    }

    [Benchmark(Description = "Dapper Query")]
    public List<PlainPost> Dapper() => _open.Query<PlainPost>(BenchmarkData.PageSql, new { start = NextStart() }).AsList();

    [Benchmark(Description = "EF Core compiled, no tracking")]
    public List<PlainPost> EfCore() => Compiled(_context, NextStart()).ToList();

    [Benchmark(Description = "Switchboard Where/OrderBy/Limit")]
    public List<Post> Switchboard()
    {
        var start = NextStart();
        return Post.Where(p => p.Id > start).OrderBy(p => p.Id).Limit(1000).All();
    }

    private int NextStart() => _page = (_page + 1) % 4 * 1000;
}
