using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Switchboard.Benchmarks;

/// <summary>
/// <c>Post.Where(p =&gt; p.Id == id).First()</c> with a captured id: the expression's shape is translated once, each
/// run reads the id. Ids cycle over the 5,000 rows; baselines hold an open connection.
/// </summary>
[MemoryDiagnoser]
public class WhereFirstBenchmarks
{
    private static readonly Func<PostsContext, int, PlainPost> Compiled =
        EF.CompileQuery((PostsContext context, int id) => context.Posts.AsNoTracking().Where(p => p.Id == id).First());

    private OpenBaselines _baselines = null!;
    private int _id;

    [GlobalSetup]
    public void Setup() => _baselines = new OpenBaselines("where-first", BenchmarkData.FindSql + " LIMIT 1", "@id");

    [GlobalCleanup]
    public void Cleanup() => _baselines.Dispose();

    [Benchmark(Baseline = true, Description = "hand-written ADO.NET, prepared")]
    public PlainPost Handwritten()
    {
        _baselines.PreparedParameter.Value = NextId();
        using var reader = _baselines.Prepared.ExecuteReader();
        return reader.Read() ? PlainPost.Read(reader) : throw new InvalidOperationException("No post.");
    }

    [Benchmark(Description = "Dapper QueryFirst")]
    public PlainPost Dapper() => _baselines.Connection.QueryFirst<PlainPost>(BenchmarkData.FindSql + " LIMIT 1", new { id = NextId() });

    [Benchmark(Description = "EF Core compiled, no tracking")]
    public PlainPost EfCore() => Compiled(_baselines.Context, NextId());

    [Benchmark(Description = "Switchboard Where(p => p.Id == id).First()")]
    public Post Switchboard()
    {
        var id = NextId();
        return Post.Where(p => p.Id == id).First();
    }

    private int NextId() => _id = (_id % BenchmarkData.Rows) + 1;
}

/// <summary>
/// <c>Post.Where(p =&gt; p.Text == title &amp;&amp; p.Counter1 &gt; n).Limit(10).All()</c> with captured values: ten posts
/// of a text whose Counter1 passes a bound that moves on every run. (The Posts shape has no Title column; its Text
/// column, 2,000 characters, stands in.)
/// </summary>
[MemoryDiagnoser]
public class WhereFilterBenchmarks
{
    private const string Sql = "SELECT " + BenchmarkData.Columns + " FROM Posts WHERE Text = @title AND Counter1 > @n LIMIT 10";

    private static readonly Func<PostsContext, string, int, IEnumerable<PlainPost>> Compiled =
        EF.CompileQuery((PostsContext context, string title, int n) => context.Posts.AsNoTracking().Where(p => p.Text == title && p.Counter1 > n).Take(10));

    private OpenBaselines _baselines = null!;
    private SqliteCommand _prepared = null!;
    private SqliteParameter _title = null!;
    private SqliteParameter _bound = null!;
    private int _n;

    [GlobalSetup]
    public void Setup()
    {
        _baselines = new OpenBaselines("where-filter", BenchmarkData.FindSql, "@id");
        _prepared = new SqliteCommand(Sql, _baselines.Connection);
        _title = _prepared.Parameters.Add("@title", SqliteType.Text);
        _bound = _prepared.Parameters.Add("@n", SqliteType.Integer);
        _prepared.Prepare();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _prepared.Dispose();
        _baselines.Dispose();
    }

    [Benchmark(Baseline = true, Description = "hand-written ADO.NET, prepared")]
    public List<PlainPost> Handwritten()
    {
        _title.Value = BenchmarkData.Text;
        _bound.Value = NextBound();
        var posts = new List<PlainPost>();
        using var reader = _prepared.ExecuteReader();
        while (reader.Read())
        {
            posts.Add(PlainPost.Read(reader));
        }

        return posts;
    }

    [Benchmark(Description = "Dapper Query")]
    public List<PlainPost> Dapper() => _baselines.Connection.Query<PlainPost>(Sql, new { title = BenchmarkData.Text, n = NextBound() }).AsList();

    [Benchmark(Description = "EF Core compiled, no tracking")]
    public List<PlainPost> EfCore() => Compiled(_baselines.Context, BenchmarkData.Text, NextBound()).ToList();

    [Benchmark(Description = "Switchboard Where(title && n).Limit(10).All()")]
    public List<Post> Switchboard()
    {
        var title = BenchmarkData.Text;
        var n = NextBound();
        return Post.Where(p => p.Text == title && p.Counter1 > n).Limit(10).All();
    }

    private int NextBound() => _n = (_n + 7) % 100;
}
