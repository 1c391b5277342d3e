using BenchmarkDotNet.Attributes;
using Switchboard.Records;
using Switchboard.Records.Schema;

namespace Switchboard.Benchmarks;

/// <summary>
/// What <c>naming: auto</c> costs once per (model, connection): the catalog read of the Posts table, and the whole first
/// mapping (catalog read, matching, compiled materializer) against the same mapping built from declared names.
/// SQLite always; PostgreSQL when <c>SWITCHBOARD_TEST_POSTGRES</c> names a server.
/// </summary>
[MemoryDiagnoser]
public class CatalogReadBenchmarks
{
    private Connection _sqlite = null!;
    private Connection? _postgres;

    [GlobalSetup]
    public void Setup()
    {
        var file = BenchmarkData.Create("catalog");
        BenchmarkData.ConfigureSwitchboard(file, "bench_catalog");
        _sqlite = ConnectionManager.GetConnection("bench_catalog");
        _ = _sqlite.Scalar<long>("SELECT COUNT(*) FROM Posts");
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_POSTGRES") is { Length: > 0 } url)
        {
            var config = ConnectionConfig.Parse(url);
            config.PoolSize = 2;
            _postgres = ConnectionManager.Configure("bench_catalog_pg", config, replace: true);
            _postgres.Execute("""
                DROP TABLE IF EXISTS posts;
                CREATE TABLE posts (id serial PRIMARY KEY, text text NOT NULL, creation_date timestamp NOT NULL, last_change_date timestamp NOT NULL,
                  counter1 int, counter2 int, counter3 int, counter4 int, counter5 int, counter6 int, counter7 int, counter8 int, counter9 int)
                """);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _postgres?.Execute("DROP TABLE IF EXISTS posts");
        ConnectionManager.DisposeAll();
    }

    [Benchmark(Baseline = true, Description = "SQLite: first mapping, naming: as_declared (no catalog)")]
    public object SqliteDeclared() => Map(_sqlite, NamingConvention.AsDeclared);

    [Benchmark(Description = "SQLite: first mapping, naming: auto (catalog read + mapping)")]
    public object SqliteAuto() => Map(_sqlite, NamingConvention.Auto);

    [Benchmark(Description = "SQLite: catalog read alone")]
    public object? SqliteCatalog() => SchemaCatalog.ReadAsync(_sqlite, ModelInfo<Post>.Info, async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "PostgreSQL: catalog read alone")]
    [BenchmarkCategory("postgres")]
    public object? PostgresCatalog() => _postgres is null
        ? null
        : SchemaCatalog.ReadAsync(_postgres, ModelInfo<Post>.Info, async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>What a model's first use on a connection does (MappingCache keeps the result; this does it every time).</summary>
    private static ModelMapping<Post> Map(Connection connection, NamingConvention naming)
    {
        var info = ModelInfo<Post>.Info;
        var tables = naming == NamingConvention.Auto
            ? SchemaCatalog.ReadAsync(connection, info, async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult()
            : null;
        return new ModelMapping<Post>(info, connection.Dialect, SchemaMatcher.Match(info, naming, tables, connection.Dialect));
    }
}
