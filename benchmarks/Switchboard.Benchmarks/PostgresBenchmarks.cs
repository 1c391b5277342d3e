using System.ComponentModel.DataAnnotations.Schema;
using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Switchboard.Benchmarks;

/// <summary>
/// The find-by-id, 1,000-row and end-to-end scenarios on PostgreSQL (run only when SWITCHBOARD_TEST_POSTGRES names a
/// server). Baselines share one open connection; the end-to-end ones open a pooled NpgsqlConnection per call.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
public class PostgresBenchmarks
{
    private const string FindSql = "SELECT id AS \"Id\", text AS \"Text\", creation_date AS \"CreationDate\", last_change_date AS \"LastChangeDate\", counter1 AS \"Counter1\", counter2 AS \"Counter2\", counter3 AS \"Counter3\", counter4 AS \"Counter4\", counter5 AS \"Counter5\", counter6 AS \"Counter6\", counter7 AS \"Counter7\", counter8 AS \"Counter8\", counter9 AS \"Counter9\" FROM bench_posts WHERE id = @id";

    private const string PageSql = "SELECT id AS \"Id\", text AS \"Text\", creation_date AS \"CreationDate\", last_change_date AS \"LastChangeDate\", counter1 AS \"Counter1\", counter2 AS \"Counter2\", counter3 AS \"Counter3\", counter4 AS \"Counter4\", counter5 AS \"Counter5\", counter6 AS \"Counter6\", counter7 AS \"Counter7\", counter8 AS \"Counter8\", counter9 AS \"Counter9\" FROM bench_posts WHERE id > @start ORDER BY id LIMIT 1000";

    private static readonly Func<PgPostsContext, int, PlainPost?> CompiledFind =
        EF.CompileQuery((PgPostsContext context, int id) => context.Posts.AsNoTracking().FirstOrDefault(p => p.Id == id));

    private static readonly Func<PgPostsContext, int, IEnumerable<PlainPost>> CompiledPage =
        EF.CompileQuery((PgPostsContext context, int start) => context.Posts.AsNoTracking().Where(p => p.Id > start).OrderBy(p => p.Id).Take(1000));

    private NpgsqlDataSource _dataSource = null!;
    private NpgsqlConnection _open = null!;
    private NpgsqlCommand _prepared = null!;
    private PgPostsContext _context = null!;
    private DbContextOptions<PgPostsContext> _pooledOptions = null!;
    private int _id;
    private int _page;

    [GlobalSetup]
    public void Setup()
    {
        var url = Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_POSTGRES") ?? throw new InvalidOperationException("SWITCHBOARD_TEST_POSTGRES is not set.");
        var config = ConnectionConfig.Parse(url);
        config.PoolSize = 4;
        config.PoolRecycle = null;
        config.Naming = NamingConvention.SnakeCase;
        ConnectionManager.Configure("bench_pg", config, replace: true);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = config.Host,
            Port = config.Port ?? 5432,
            Database = config.Database,
            Username = config.Username,
            Password = config.Password,
            MaxPoolSize = 4,
        };
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        _open = _dataSource.OpenConnection();
        using (var create = new NpgsqlCommand(
            """
            DROP TABLE IF EXISTS bench_posts;
            CREATE TABLE bench_posts (id serial PRIMARY KEY, text text NOT NULL, creation_date timestamp NOT NULL, last_change_date timestamp NOT NULL,
              counter1 int, counter2 int, counter3 int, counter4 int, counter5 int, counter6 int, counter7 int, counter8 int, counter9 int);
            INSERT INTO bench_posts (text, creation_date, last_change_date, counter1, counter5)
              SELECT repeat('x', 2000), timestamp '2020-01-01' + g * interval '1 minute', timestamp '2021-01-01' + g * interval '1 minute',
                     CASE WHEN g % 3 = 0 THEN NULL ELSE g END, g
              FROM generate_series(0, 4999) g;
            ANALYZE bench_posts;
            """,
            _open))
        {
            create.ExecuteNonQuery();
        }

        _prepared = new NpgsqlCommand(FindSql, _open);
        _prepared.Parameters.Add(new NpgsqlParameter<int>("id", 1));
        _prepared.Prepare();
        _context = new PgPostsContext(new DbContextOptionsBuilder<PgPostsContext>().UseNpgsql(_open).Options);
        _pooledOptions = new DbContextOptionsBuilder<PgPostsContext>().UseNpgsql(_dataSource).Options;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _context.Dispose();
        _prepared.Dispose();
        _open.Dispose();
        _dataSource.Dispose();
        ConnectionManager.DisposeAll();
    }

    [Benchmark(Baseline = true, Description = "find by id: hand-written Npgsql, prepared")]
    [BenchmarkCategory("postgres-find-by-id")]
    public PlainPost? FindHandwritten()
    {
        ((NpgsqlParameter<int>)_prepared.Parameters[0]).TypedValue = NextId();
        using var reader = _prepared.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    [Benchmark(Description = "find by id: Dapper")]
    [BenchmarkCategory("postgres-find-by-id")]
    public PlainPost? FindDapper() => _open.QueryFirstOrDefault<PlainPost>(FindSql, new { id = NextId() });

    [Benchmark(Description = "find by id: EF Core compiled, no tracking")]
    [BenchmarkCategory("postgres-find-by-id")]
    public PlainPost? FindEfCore() => CompiledFind(_context, NextId());

    [Benchmark(Description = "find by id: Switchboard Post.Find")]
    [BenchmarkCategory("postgres-find-by-id")]
    public PgPost FindSwitchboard() => PgPost.Find(NextId());

    [Benchmark(Baseline = true, Description = "1,000 rows: hand-written Npgsql")]
    [BenchmarkCategory("postgres-1000-rows")]
    public List<PlainPost> PageHandwritten()
    {
        using var command = new NpgsqlCommand(PageSql, _open);
        command.Parameters.Add(new NpgsqlParameter<int>("start", NextStart()));
        var posts = new List<PlainPost>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            posts.Add(Read(reader));
        }

        return posts;
    }

    [Benchmark(Description = "1,000 rows: Dapper")]
    [BenchmarkCategory("postgres-1000-rows")]
    public List<PlainPost> PageDapper() => _open.Query<PlainPost>(PageSql, new { start = NextStart() }).AsList();

    [Benchmark(Description = "1,000 rows: EF Core compiled, no tracking")]
    [BenchmarkCategory("postgres-1000-rows")]
    public List<PlainPost> PageEfCore() => CompiledPage(_context, NextStart()).ToList();

    [Benchmark(Description = "1,000 rows: Switchboard")]
    [BenchmarkCategory("postgres-1000-rows")]
    public List<PgPost> PageSwitchboard()
    {
        var start = NextStart();
        return PgPost.Where(p => p.Id > start).OrderBy(p => p.Id).Limit(1000).All();
    }

    [Benchmark(Baseline = true, Description = "end to end: Dapper, pooled Open per call")]
    [BenchmarkCategory("postgres-end-to-end")]
    public PlainPost? EndToEndDapper()
    {
        using var connection = _dataSource.OpenConnection();
        return connection.QueryFirstOrDefault<PlainPost>(FindSql, new { id = NextId() });
    }

    [Benchmark(Description = "end to end: EF Core compiled, context per call")]
    [BenchmarkCategory("postgres-end-to-end")]
    public PlainPost? EndToEndEfCore()
    {
        using var context = new PgPostsContext(_pooledOptions);
        return CompiledFind(context, NextId());
    }

    [Benchmark(Description = "end to end: Switchboard Post.Find via ConnectionManager")]
    [BenchmarkCategory("postgres-end-to-end")]
    public PgPost EndToEndSwitchboard() => PgPost.Find(NextId());

    private static PlainPost Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetInt32(0),
        Text = reader.GetString(1),
        CreationDate = reader.GetDateTime(2),
        LastChangeDate = reader.GetDateTime(3),
        Counter1 = reader.IsDBNull(4) ? null : reader.GetInt32(4),
        Counter2 = reader.IsDBNull(5) ? null : reader.GetInt32(5),
        Counter3 = reader.IsDBNull(6) ? null : reader.GetInt32(6),
        Counter4 = reader.IsDBNull(7) ? null : reader.GetInt32(7),
        Counter5 = reader.IsDBNull(8) ? null : reader.GetInt32(8),
        Counter6 = reader.IsDBNull(9) ? null : reader.GetInt32(9),
        Counter7 = reader.IsDBNull(10) ? null : reader.GetInt32(10),
        Counter8 = reader.IsDBNull(11) ? null : reader.GetInt32(11),
        Counter9 = reader.IsDBNull(12) ? null : reader.GetInt32(12),
    };

    private int NextId() => _id = (_id % BenchmarkData.Rows) + 1;

    private int NextStart() => _page = (_page + 1) % 4 * 1000;
}

/// <summary>The Posts row on PostgreSQL, whose connection maps column names to snake_case (an explicit [Table] name is used as written).</summary>
[Connection("bench_pg")]
[Table("bench_posts")]
public class PgPost : PostRow<PgPost>;

/// <summary>EF Core's view of the PostgreSQL table.</summary>
public sealed class PgPostsContext(DbContextOptions<PgPostsContext> options) : DbContext(options)
{
    public DbSet<PlainPost> Posts => Set<PlainPost>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var post = modelBuilder.Entity<PlainPost>().ToTable("bench_posts");
        post.HasKey(p => p.Id);
        foreach (var property in post.Metadata.GetProperties())
        {
            property.SetColumnName(Naming.ToSnakeCase(property.Name));
        }
    }
}
