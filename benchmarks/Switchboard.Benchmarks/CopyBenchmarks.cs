using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Switchboard.Benchmarks;

/// <summary>
/// Copying rows of the Posts shape (13 columns, a 2,000-character text) from a SQLite file to PostgreSQL (run only when
/// SWITCHBOARD_TEST_POSTGRES names a server): <c>Query&lt;T&gt;.CopyTo</c> against hand-written code (a SqliteDataReader
/// loop feeding Npgsql's binary import), and against two loops of <c>Save</c>: the literal one a user writes,
/// <c>foreach (...) post.Save();</c>, where each Save is its own transaction (a commit, so a WAL flush, per row), and
/// the same loop inside one transaction. The copies move 100,000 rows, the loop in a transaction 10,000 and the
/// autocommit loop 2,000 (at a flush per commit, 100,000 would take hours). Every benchmark reports time per row (<c>OperationsPerInvoke</c> = its row
/// count), so the means, the ratios and the Op/s column (rows per second) compare directly. The target table is
/// emptied before each run. Measure against a server with default durability (<c>fsync</c> and
/// <c>synchronous_commit</c> on): with them off, a commit costs almost nothing and the autocommit loop looks far faster
/// than it is on a real server.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(CopyBenchmarks.ShortJob))]
[BenchmarkCategory("postgres-copy")]
public class CopyBenchmarks
{
    public const int Rows = 100_000;

    /// <summary>The rows the Save loop in one transaction copies (the first 10,000 of the source).</summary>
    public const int LoopRows = 10_000;

    /// <summary>The rows the autocommit Save loop copies: at a WAL flush per row (milliseconds each), 2,000 take a minute or less per run.</summary>
    public const int AutocommitRows = 2_000;

    /// <summary>
    /// Each operation takes seconds: one warm-up and five measured runs, in this process (building a separate
    /// executable for them takes longer than the runs on a busy machine).
    /// </summary>
    public sealed class ShortJob : ManualConfig
    {
        public ShortJob()
        {
            AddJob(Job.Dry.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5)
                .WithInvocationCount(1).WithUnrollFactor(1).WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true)));
            AddColumn(BenchmarkDotNet.Columns.StatisticColumn.OperationsPerSecond);
        }
    }
    private const string Source = "bench_copy_src";
    private const string Target = "bench_copy_pg";
    private const string Columns = "\"Id\", \"Text\", \"CreationDate\", \"LastChangeDate\", \"Counter1\", \"Counter2\", \"Counter3\", \"Counter4\", \"Counter5\", \"Counter6\", \"Counter7\", \"Counter8\", \"Counter9\"";

    private string _file = "";
    private string _schema = "";
    private NpgsqlDataSource _postgres = null!;

    [GlobalSetup]
    public void Setup()
    {
        _file = BenchmarkData.Create("copy", Rows);
        var url = Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_POSTGRES") ?? throw new InvalidOperationException("SWITCHBOARD_TEST_POSTGRES is not set.");
        var config = ConnectionConfig.Parse(url);
        _schema = "sb_bench_copy_" + Environment.ProcessId;
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = config.Host,
            Port = config.Port ?? 5432,
            Database = config.Database,
            Username = config.Username,
            Password = config.Password,
            SearchPath = _schema,
            Timezone = "UTC",
        };
        _postgres = NpgsqlDataSource.Create(builder.ConnectionString);
        using (var create = _postgres.CreateCommand(
            $"""
            DROP SCHEMA IF EXISTS {_schema} CASCADE;
            CREATE SCHEMA {_schema};
            CREATE TABLE {_schema}."Posts" ("Id" serial PRIMARY KEY, "Text" text NOT NULL, "CreationDate" timestamp NOT NULL, "LastChangeDate" timestamp NOT NULL,
              "Counter1" int, "Counter2" int, "Counter3" int, "Counter4" int, "Counter5" int, "Counter6" int, "Counter7" int, "Counter8" int, "Counter9" int);
            """))
        {
            create.ExecuteNonQuery();
        }

        ConnectionManager.Configure(Source, new ConnectionConfig { Driver = "sqlite", Database = _file, PoolSize = 2, PoolRecycle = null }, replace: true);
        config.Schema = _schema;
        config.PoolSize = 2;
        config.PoolRecycle = null;
        config.CommandTimeout = TimeSpan.FromMinutes(5);
        ConnectionManager.Configure(Target, config, replace: true);
    }

    [IterationSetup]
    public void Empty()
    {
        using var truncate = _postgres.CreateCommand("TRUNCATE \"Posts\"");
        truncate.ExecuteNonQuery();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        using (var drop = _postgres.CreateCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE"))
        {
            drop.ExecuteNonQuery();
        }

        _postgres.Dispose();
        ConnectionManager.Dispose(Source);
        ConnectionManager.Dispose(Target);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows, Description = "per row, copying 100,000 posts SQLite → PostgreSQL: hand-written reader + binary import, one transaction")]
    public ulong Handwritten()
    {
        using var sqlite = new SqliteConnection($"Data Source={_file};Pooling=False");
        sqlite.Open();
        using var select = new SqliteCommand("SELECT " + BenchmarkData.Columns + " FROM Posts", sqlite);
        using var reader = select.ExecuteReader();
        using var postgres = _postgres.OpenConnection();
        using var transaction = postgres.BeginTransaction();
        ulong written;
        using (var importer = postgres.BeginBinaryImport($"COPY \"Posts\" ({Columns}) FROM STDIN (FORMAT BINARY)"))
        {
            while (reader.Read())
            {
                importer.StartRow();
                importer.Write(reader.GetInt32(0), NpgsqlDbType.Integer);
                importer.Write(reader.GetString(1), NpgsqlDbType.Text);
                importer.Write(reader.GetDateTime(2), NpgsqlDbType.Timestamp);
                importer.Write(reader.GetDateTime(3), NpgsqlDbType.Timestamp);
                for (var i = 4; i < 13; i++)
                {
                    if (reader.IsDBNull(i))
                    {
                        importer.WriteNull();
                    }
                    else
                    {
                        importer.Write(reader.GetInt32(i), NpgsqlDbType.Integer);
                    }
                }
            }

            written = importer.Complete();
        }

        transaction.Commit();
        return written;
    }

    [Benchmark(OperationsPerInvoke = Rows, Description = "per row, copying 100,000 posts SQLite → PostgreSQL: Switchboard CopyTo")]
    public long CopyTo() => Post.Using(Source).CopyTo(Target).Rows;

    [Benchmark(OperationsPerInvoke = AutocommitRows, Description = "per row, copying 2,000 posts SQLite → PostgreSQL: a loop of Save, each its own transaction")]
    public int SaveLoop()
    {
        var count = 0;
        using (Post.UsingConnection(Target))
        {
            foreach (var post in Post.Using(Source).OrderBy(p => p.Id).Limit(AutocommitRows).All())
            {
                Copy(post).Save();
                count++;
            }
        }

        return count;
    }

    [Benchmark(OperationsPerInvoke = LoopRows, Description = "per row, copying 10,000 posts SQLite → PostgreSQL: a loop of Save in one transaction")]
    public int SaveLoopInTransaction()
    {
        var count = 0;
        var target = ConnectionManager.GetConnection(Target);
        using (Post.UsingConnection(Target))
        using (var transaction = target.BeginTransaction())
        {
            foreach (var post in Post.Using(Source).OrderBy(p => p.Id).Limit(LoopRows).All())
            {
                Copy(post).Save();
                count++;
            }

            transaction.Commit();
        }

        return count;
    }

    /// <summary>A new record with the loaded one's values (the loaded one would save back to its own connection).</summary>
    private static Post Copy(Post post) => new()
    {
        Id = post.Id,
        Text = post.Text,
        CreationDate = post.CreationDate,
        LastChangeDate = post.LastChangeDate,
        Counter1 = post.Counter1,
        Counter2 = post.Counter2,
        Counter3 = post.Counter3,
        Counter4 = post.Counter4,
        Counter5 = post.Counter5,
        Counter6 = post.Counter6,
        Counter7 = post.Counter7,
        Counter8 = post.Counter8,
        Counter9 = post.Counter9,
    };
}
