using System.ComponentModel.DataAnnotations.Schema;
using BenchmarkDotNet.Attributes;
using Npgsql;

namespace Switchboard.Benchmarks;

/// <summary>Inserting 1,000 new records and reading each generated key back: a Save loop in a transaction against InsertAll.</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
public class InsertAllBenchmarks
{
    private const int Rows = 1000;
    private DateTime _now;
    private bool _havePostgres;
    private NpgsqlConnection? _open;

    [GlobalSetup]
    public void Setup()
    {
        _now = DateTime.UtcNow;
        ConnectionManager.Configure("bench_insert_all", new ConnectionConfig { Driver = "sqlite", Database = BenchmarkData.Create("insert_all"), PoolSize = 2, PoolRecycle = null }, replace: true);
        var url = Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_POSTGRES");
        _havePostgres = !string.IsNullOrEmpty(url);
        if (_havePostgres)
        {
            var config = ConnectionConfig.Parse(url!);
            config.PoolSize = 2;
            config.PoolRecycle = null;
            config.Naming = NamingConvention.SnakeCase;
            var connection = ConnectionManager.Configure("bench_pg_insert_all", config, replace: true);
            connection.Execute(
                """
                DROP TABLE IF EXISTS bench_insert_all_posts;
                CREATE TABLE bench_insert_all_posts (id serial PRIMARY KEY, text text NOT NULL, creation_date timestamp NOT NULL, last_change_date timestamp NOT NULL, counter1 int)
                """);
            var builder = new NpgsqlConnectionStringBuilder { Host = config.Host, Port = config.Port ?? 5432, Database = config.Database, Username = config.Username, Password = config.Password };
            _open = new NpgsqlConnection(builder.ConnectionString);
            _open.Open();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_havePostgres)
        {
            _open?.Dispose();
            ConnectionManager.GetConnection("bench_pg_insert_all").Execute("DROP TABLE IF EXISTS bench_insert_all_posts");
        }

        ConnectionManager.DisposeAll();
    }

    [Benchmark(Baseline = true, Description = "SQLite: Save in a transaction")]
    [BenchmarkCategory("sqlite-insert-all")]
    public int SqliteSaveLoop()
    {
        var last = 0;
        ConnectionManager.GetConnection("bench_insert_all").Transaction(() =>
        {
            for (var i = 0; i < Rows; i++)
            {
                var post = new BulkPost { Text = BenchmarkData.Text, CreationDate = _now, LastChangeDate = _now, Counter1 = i };
                post.Save();
                last = post.Id;
            }
        });
        return last;
    }

    [Benchmark(Description = "SQLite: InsertAll")]
    [BenchmarkCategory("sqlite-insert-all")]
    public int SqliteInsertAll()
    {
        var posts = Enumerable.Range(0, Rows).Select(i => new BulkPost { Text = BenchmarkData.Text, CreationDate = _now, LastChangeDate = _now, Counter1 = i }).ToList();
        BulkPost.InsertAll(posts);
        return posts[^1].Id;
    }

    [Benchmark(Baseline = true, Description = "PostgreSQL: Save in a transaction")]
    [BenchmarkCategory("postgres-insert-all")]
    public int PostgresSaveLoop()
    {
        var last = 0;
        ConnectionManager.GetConnection("bench_pg_insert_all").Transaction(() =>
        {
            for (var i = 0; i < Rows; i++)
            {
                var post = new PgBulkPost { Text = BenchmarkData.Text, CreationDate = _now, LastChangeDate = _now, Counter1 = i };
                post.Save();
                last = post.Id;
            }
        });
        return last;
    }

    [Benchmark(Description = "PostgreSQL: InsertAll")]
    [BenchmarkCategory("postgres-insert-all")]
    public int PostgresInsertAll()
    {
        var posts = Enumerable.Range(0, Rows).Select(i => new PgBulkPost { Text = BenchmarkData.Text, CreationDate = _now, LastChangeDate = _now, Counter1 = i }).ToList();
        PgBulkPost.InsertAll(posts);
        return posts[^1].Id;
    }

    [Benchmark(Description = "PostgreSQL: hand-written NpgsqlBatch of INSERT ... RETURNING, open connection")]
    [BenchmarkCategory("postgres-insert-all")]
    public int PostgresHandwrittenBatch()
    {
        var connection = _open!;
        using var transaction = connection.BeginTransaction();
        using var batch = new NpgsqlBatch(connection, transaction);
        for (var i = 0; i < Rows; i++)
        {
            var command = new NpgsqlBatchCommand("INSERT INTO bench_insert_all_posts (text, creation_date, last_change_date, counter1) VALUES ($1, $2, $3, $4) RETURNING id");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = BenchmarkData.Text });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = DateTime.SpecifyKind(_now, DateTimeKind.Unspecified) });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = DateTime.SpecifyKind(_now, DateTimeKind.Unspecified) });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = i });
            batch.BatchCommands.Add(command);
        }

        var last = 0;
        using (var reader = batch.ExecuteReader())
        {
            do
            {
                while (reader.Read())
                {
                    last = reader.GetInt32(0);
                }
            }
            while (reader.NextResult());
        }

        transaction.Commit();
        return last;
    }
}

/// <summary>The Posts shape with five columns, for the SQLite insert benchmarks.</summary>
[Connection("bench_insert_all")]
[Table("Posts")]
public class BulkPost : ActiveRecord<BulkPost>
{
    public int Id { get; set; }

    public string Text { get; set; } = "";

    public DateTime CreationDate { get; set; }

    public DateTime LastChangeDate { get; set; }

    public int? Counter1 { get; set; }
}

/// <summary>The same on PostgreSQL, whose connection maps names to snake_case.</summary>
[Connection("bench_pg_insert_all")]
[Table("bench_insert_all_posts")]
public class PgBulkPost : ActiveRecord<PgBulkPost>
{
    public int Id { get; set; }

    public string Text { get; set; } = "";

    public DateTime CreationDate { get; set; }

    public DateTime LastChangeDate { get; set; }

    public int? Counter1 { get; set; }
}
