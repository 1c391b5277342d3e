using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Switchboard.Benchmarks;

/// <summary>Dapper's own benchmark: one post by id, ids cycling over 5,000 rows, on a SQLite file. Baselines hold an open connection.</summary>
[MemoryDiagnoser]
public class FindByIdBenchmarks
{
    private static readonly Func<PostsContext, int, PlainPost?> Compiled =
        EF.CompileQuery((PostsContext context, int id) => context.Posts.AsNoTracking().FirstOrDefault(p => p.Id == id));

    private OpenBaselines _baselines = null!;
    private int _id;

    [GlobalSetup]
    public void Setup() => _baselines = new OpenBaselines("find-by-id", BenchmarkData.FindSql, "@id");

    [GlobalCleanup]
    public void Cleanup() => _baselines.Dispose();

    [Benchmark(Baseline = true, Description = "hand-written ADO.NET, prepared")]
    public PlainPost? Handwritten()
    {
        _baselines.PreparedParameter.Value = NextId();
        using var reader = _baselines.Prepared.ExecuteReader();
        return reader.Read() ? PlainPost.Read(reader) : null;
    }

    [Benchmark(Description = "hand-written ADO.NET, unprepared")]
    public PlainPost? HandwrittenUnprepared()
    {
        using var command = new SqliteCommand(BenchmarkData.FindSql, _baselines.Connection);
        command.Parameters.AddWithValue("@id", NextId());
        using var reader = command.ExecuteReader();
        return reader.Read() ? PlainPost.Read(reader) : null;
    }

    [Benchmark(Description = "Dapper QueryFirstOrDefault")]
    public PlainPost? Dapper() => _baselines.Connection.QueryFirstOrDefault<PlainPost>(BenchmarkData.FindSql, new { id = NextId() });

    [Benchmark(Description = "EF Core compiled, no tracking")]
    public PlainPost? EfCore() => Compiled(_baselines.Context, NextId());

    [Benchmark(Description = "Switchboard Post.Find")]
    public Post Switchboard() => Post.Find(NextId());

    private int NextId() => _id = (_id % BenchmarkData.Rows) + 1;
}
