using System.ComponentModel.DataAnnotations.Schema;
using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Switchboard.Benchmarks;

/// <summary>Inserting 1,000 rows in one transaction, reading each generated key back.</summary>
[MemoryDiagnoser]
public class InsertBenchmarks
{
    private const string InsertSql = "INSERT INTO Posts (Text, CreationDate, LastChangeDate, Counter1) VALUES (@Text, @CreationDate, @LastChangeDate, @Counter1) RETURNING Id";

    private SqliteConnection _open = null!;
    private DbContextOptions<PostsContext> _efOptions = null!;
    private DateTime _now;

    [GlobalSetup]
    public void Setup()
    {
        var file = BenchmarkData.Create("insert");
        ConnectionManager.Configure("bench_insert", new ConnectionConfig { Driver = "sqlite", Database = file, PoolSize = 2, PoolRecycle = null }, replace: true);
        _open = new SqliteConnection($"Data Source={file};Pooling=False");
        _open.Open();
        _efOptions = new DbContextOptionsBuilder<PostsContext>().UseSqlite(_open).Options;
        _now = DateTime.UtcNow;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _open.Dispose();
        ConnectionManager.DisposeAll();
    }

    [Benchmark(Baseline = true, Description = "hand-written ADO.NET, prepared")]
    public int Handwritten()
    {
        using var transaction = _open.BeginTransaction();
        using var command = new SqliteCommand(InsertSql, _open, transaction);
        var text = command.Parameters.Add("@Text", SqliteType.Text);
        var created = command.Parameters.Add("@CreationDate", SqliteType.Text);
        var changed = command.Parameters.Add("@LastChangeDate", SqliteType.Text);
        var counter = command.Parameters.Add("@Counter1", SqliteType.Integer);
        command.Prepare();
        var last = 0;
        for (var i = 0; i < 1000; i++)
        {
            text.Value = BenchmarkData.Text;
            created.Value = _now;
            changed.Value = _now;
            counter.Value = i;
            last = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        transaction.Commit();
        return last;
    }

    [Benchmark(Description = "Dapper ExecuteScalar per row")]
    public int Dapper()
    {
        using var transaction = _open.BeginTransaction();
        var last = 0;
        for (var i = 0; i < 1000; i++)
        {
            last = _open.ExecuteScalar<int>(InsertSql, new PlainPost { Text = BenchmarkData.Text, CreationDate = _now, LastChangeDate = _now, Counter1 = i }, transaction);
        }

        transaction.Commit();
        return last;
    }

    [Benchmark(Description = "EF Core AddRange + SaveChanges")]
    public int EfCore()
    {
        using var context = new PostsContext(_efOptions);
        var posts = Enumerable.Range(0, 1000).Select(i => new PlainPost { Text = BenchmarkData.Text, CreationDate = _now, LastChangeDate = _now, Counter1 = i }).ToList();
        context.Posts.AddRange(posts);
        context.SaveChanges();
        return posts[^1].Id;
    }

    [Benchmark(Description = "Switchboard Save in a transaction")]
    public int Switchboard()
    {
        var last = 0;
        ConnectionManager.GetConnection("bench_insert").Transaction(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                var post = new InsertedPost { Text = BenchmarkData.Text, CreationDate = _now, LastChangeDate = _now, Counter1 = i };
                post.Save();
                last = post.Id;
            }
        });
        return last;
    }
}

/// <summary>The Posts row, bound to the insert benchmark's connection.</summary>
[Connection("bench_insert")]
[Table("Posts")]
public class InsertedPost : ActiveRecord<InsertedPost>
{
    public int Id { get; set; }

    public string Text { get; set; } = "";

    public DateTime CreationDate { get; set; }

    public DateTime LastChangeDate { get; set; }

    public int? Counter1 { get; set; }
}
