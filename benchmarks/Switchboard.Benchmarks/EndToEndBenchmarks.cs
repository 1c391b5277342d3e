using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Switchboard.Benchmarks;

/// <summary>
/// A whole request's worth of data access: take a connection, find one post, give the connection back. Switchboard goes
/// through ConnectionManager and its pool; the others open a pooled SqliteConnection per call, as applications do.
/// </summary>
[MemoryDiagnoser]
public class EndToEndBenchmarks
{
    private static readonly Func<PostsContext, int, PlainPost?> Compiled =
        EF.CompileQuery((PostsContext context, int id) => context.Posts.AsNoTracking().FirstOrDefault(p => p.Id == id));

    private string _pooled = "";
    private DbContextOptions<PostsContext> _efOptions = null!;
    private int _id;

    [GlobalSetup]
    public void Setup()
    {
        var file = BenchmarkData.Create("end-to-end");
        BenchmarkData.ConfigureSwitchboard(file);
        _pooled = $"Data Source={file};Pooling=True";
        _efOptions = new DbContextOptionsBuilder<PostsContext>().UseSqlite(_pooled).Options;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        ConnectionManager.DisposeAll();
    }

    [Benchmark(Baseline = true, Description = "hand-written ADO.NET, pooled Open per call")]
    public PlainPost? Handwritten()
    {
        using var connection = new SqliteConnection(_pooled);
        connection.Open();
        using var command = new SqliteCommand(BenchmarkData.FindSql, connection);
        command.Parameters.AddWithValue("@id", NextId());
        using var reader = command.ExecuteReader();
        return reader.Read() ? PlainPost.Read(reader) : null;
    }

    [Benchmark(Description = "Dapper, pooled Open per call")]
    public PlainPost? Dapper()
    {
        using var connection = new SqliteConnection(_pooled);
        connection.Open();
        return connection.QueryFirstOrDefault<PlainPost>(BenchmarkData.FindSql, new { id = NextId() });
    }

    [Benchmark(Description = "EF Core compiled, context per call")]
    public PlainPost? EfCore()
    {
        using var context = new PostsContext(_efOptions);
        return Compiled(context, NextId());
    }

    [Benchmark(Description = "Switchboard Post.Find via ConnectionManager")]
    public Post Switchboard() => Post.Find(NextId());

    private int NextId() => _id = (_id % BenchmarkData.Rows) + 1;
}
