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

    private SqliteConnection _open = null!;
    private SqliteCommand _prepared = null!;
    private SqliteParameter _preparedId = null!;
    private PostsContext _context = null!;
    private int _id;

    [GlobalSetup]
    public void Setup()
    {
        var file = BenchmarkData.Create("find-by-id");
        BenchmarkData.ConfigureSwitchboard(file);
        _open = new SqliteConnection($"Data Source={file};Pooling=False");
        _open.Open();
        _prepared = new SqliteCommand(BenchmarkData.FindSql, _open);
        _preparedId = _prepared.Parameters.Add("@id", SqliteType.Integer);
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
    public PlainPost? Handwritten()
    {
        _preparedId.Value = NextId();
        using var reader = _prepared.ExecuteReader();
        return reader.Read() ? PlainPost.Read(reader) : null;
    }

    [Benchmark(Description = "hand-written ADO.NET, unprepared")]
    public PlainPost? HandwrittenUnprepared()
    {
        using var command = new SqliteCommand(BenchmarkData.FindSql, _open);
        command.Parameters.AddWithValue("@id", NextId());
        using var reader = command.ExecuteReader();
        return reader.Read() ? PlainPost.Read(reader) : null;
    }

    [Benchmark(Description = "Dapper QueryFirstOrDefault")]
    public PlainPost? Dapper() => _open.QueryFirstOrDefault<PlainPost>(BenchmarkData.FindSql, new { id = NextId() });

    [Benchmark(Description = "EF Core compiled, no tracking")]
    public PlainPost? EfCore() => Compiled(_context, NextId());

    [Benchmark(Description = "Switchboard Post.Find")]
    public Post Switchboard() => Post.Find(NextId());

    private int NextId() => _id = (_id % BenchmarkData.Rows) + 1;
}
