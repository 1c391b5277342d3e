using System.Text;
using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Switchboard.Benchmarks;

/// <summary>
/// <c>Post.Where(p =&gt; ids.Contains(p.Id)).All()</c> with a list of 2,000 ids, 20 of which are posts: past 1,000 values
/// Switchboard sends the list as one JSON parameter read by <c>json_each</c>. The hand-written baseline does the same
/// with a prepared command; Dapper writes a parameter per value (<c>IN @ids</c>); EF Core translates <c>Contains</c>
/// its own way. The list changes on every run.
/// </summary>
[MemoryDiagnoser]
public class InListBenchmarks
{
    public const int Count = 2000;

    private const string Sql = "SELECT " + BenchmarkData.Columns + " FROM Posts WHERE Id IN ";

    private OpenBaselines _baselines = null!;
    private SqliteCommand _prepared = null!;
    private SqliteParameter _json = null!;
    private readonly int[] _ids = new int[Count];
    private int _start;

    [GlobalSetup]
    public void Setup()
    {
        _baselines = new OpenBaselines("in-list", BenchmarkData.FindSql, "@id");
        _prepared = new SqliteCommand(Sql + "(SELECT value FROM json_each(@ids))", _baselines.Connection);
        _json = _prepared.Parameters.Add("@ids", SqliteType.Text);
        _prepared.Prepare();

        // Every variant finds the 20 posts of its list, or the comparison means nothing.
        var found = new[] { Handwritten().Count, Dapper().Count, EfCore().Count, Switchboard().Count };
        if (found.Any(count => count != 20))
        {
            throw new InvalidOperationException($"The IN-list variants disagree: {string.Join(", ", found)} posts (20 expected).");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _prepared.Dispose();
        _baselines.Dispose();
    }

    [Benchmark(Baseline = true, Description = "hand-written ADO.NET, prepared, json_each")]
    public List<PlainPost> Handwritten()
    {
        var ids = NextIds();
        var json = new StringBuilder(Count * 6).Append('[');
        for (var i = 0; i < ids.Length; i++)
        {
            json.Append(i == 0 ? "" : ",").Append(ids[i]);
        }

        _json.Value = json.Append(']').ToString();
        var posts = new List<PlainPost>();
        using var reader = _prepared.ExecuteReader();
        while (reader.Read())
        {
            posts.Add(PlainPost.Read(reader));
        }

        return posts;
    }

    [Benchmark(Description = "Dapper Query, IN @ids")]
    public List<PlainPost> Dapper() => _baselines.Connection.Query<PlainPost>(Sql + "@ids", new { ids = NextIds() }).AsList();

    [Benchmark(Description = "EF Core, no tracking")]
    public List<PlainPost> EfCore()
    {
        var ids = NextIds();
        return _baselines.Context.Posts.AsNoTracking().Where(p => ids.Contains(p.Id)).ToList();
    }

    [Benchmark(Description = "Switchboard Where(p => ids.Contains(p.Id)).All()")]
    public List<Post> Switchboard()
    {
        var ids = NextIds();
        return Post.Where(p => ids.Contains(p.Id)).All();
    }

    /// <summary>20 ids of posts (a window that moves on every run) and 1,980 that match nothing.</summary>
    private int[] NextIds()
    {
        _start = (_start + 20) % (BenchmarkData.Rows - 20);
        for (var i = 0; i < Count; i++)
        {
            _ids[i] = i < 20 ? _start + i + 1 : -i;
        }

        return _ids;
    }
}
