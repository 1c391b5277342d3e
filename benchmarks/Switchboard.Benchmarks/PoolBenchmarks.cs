using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Npgsql;
using Switchboard.Pooling;

namespace Switchboard.Benchmarks;

/// <summary>
/// Checkout + checkin of a pooled connection, uncontended and with 16 workers over 4 connections, against the driver
/// pools' pooled Open + Close: Microsoft.Data.Sqlite's always, Npgsql's when SWITCHBOARD_TEST_POSTGRES is set.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
public class PoolBenchmarks
{
    public const int Workers = 16;
    public const int PerWorker = 500;

    private ConnectionPool _sqlitePool = null!;
    private ConnectionPool? _postgresPool;
    private string _sqlitePooled = "";
    private NpgsqlDataSource? _npgsql;

    [GlobalSetup]
    public void Setup()
    {
        var file = BenchmarkData.Create("pool");
        var registry = new ConnectionRegistry();
        _sqlitePool = registry.Configure("pool", new ConnectionConfig { Driver = "sqlite", Database = file, PoolSize = 4, PoolRecycle = null, IdleTimeout = null }).Pool;
        _sqlitePooled = $"Data Source={file};Pooling=True";
        Return(_sqlitePool, Rent(_sqlitePool));
        using (var warm = new SqliteConnection(_sqlitePooled))
        {
            warm.Open();
        }

        if (Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_POSTGRES") is { Length: > 0 } url)
        {
            var config = ConnectionConfig.Parse(url);
            config.PoolSize = 4;
            config.PoolRecycle = null;
            config.IdleTimeout = null;
            config.ApplicationName = "switchboard-pool-benchmark";
            _postgresPool = registry.Configure("postgres", config).Pool;
            Return(_postgresPool, Rent(_postgresPool));
            var builder = new NpgsqlConnectionStringBuilder
            {
                Host = config.Host,
                Port = config.Port ?? 5432,
                Database = config.Database,
                Username = config.Username,
                Password = config.Password,
                MaxPoolSize = 4,
                MinPoolSize = 0,
                ApplicationName = "npgsql-pool-benchmark",
            };
            _npgsql = NpgsqlDataSource.Create(builder.ConnectionString);
            using var warm = _npgsql.OpenConnection();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _npgsql?.Dispose();
        SqliteConnection.ClearAllPools();
    }

    [Benchmark(Baseline = true, Description = "Microsoft.Data.Sqlite pooled Open+Close")]
    [BenchmarkCategory("uncontended")]
    public void SqliteDriverPool()
    {
        using var connection = new SqliteConnection(_sqlitePooled);
        connection.Open();
    }

    [Benchmark(Description = "Switchboard checkout+checkin (SQLite pool)")]
    [BenchmarkCategory("uncontended")]
    public void Switchboard() => Return(_sqlitePool, Rent(_sqlitePool));

    [Benchmark(Baseline = true, Description = "Npgsql pooled Open+Close")]
    [BenchmarkCategory("uncontended-postgres")]
    public void NpgsqlDriverPool()
    {
        using var connection = _npgsql!.OpenConnection();
    }

    [Benchmark(Description = "Switchboard checkout+checkin (PostgreSQL pool)")]
    [BenchmarkCategory("uncontended-postgres")]
    public void SwitchboardPostgres() => Return(_postgresPool!, Rent(_postgresPool!));

    [Benchmark(Baseline = true, OperationsPerInvoke = Workers * PerWorker, Description = "16 workers / 4 connections: Microsoft.Data.Sqlite pool (unbounded)")]
    [BenchmarkCategory("contended")]
    public Task SqliteDriverPoolContended() => Contend(async () =>
    {
        await using var connection = new SqliteConnection(_sqlitePooled);
        await connection.OpenAsync();
        await Task.Yield();
    });

    [Benchmark(OperationsPerInvoke = Workers * PerWorker, Description = "16 workers / 4 connections: Switchboard")]
    [BenchmarkCategory("contended")]
    public Task SwitchboardContended() => Contend(async () =>
    {
        var connection = await _sqlitePool.RentAsync(async: true, CancellationToken.None);
        await Task.Yield();
        _sqlitePool.Return(connection, connection.Lease);
    });

    [Benchmark(Baseline = true, OperationsPerInvoke = Workers * PerWorker, Description = "16 workers / 4 connections: Npgsql pool")]
    [BenchmarkCategory("contended-postgres")]
    public Task NpgsqlDriverPoolContended() => Contend(async () =>
    {
        await using var connection = await _npgsql!.OpenConnectionAsync();
        await Task.Yield();
    });

    [Benchmark(OperationsPerInvoke = Workers * PerWorker, Description = "16 workers / 4 connections: Switchboard (PostgreSQL pool)")]
    [BenchmarkCategory("contended-postgres")]
    public Task SwitchboardPostgresContended() => Contend(async () =>
    {
        var connection = await _postgresPool!.RentAsync(async: true, CancellationToken.None);
        await Task.Yield();
        _postgresPool.Return(connection, connection.Lease);
    });

    private static PooledConnection Rent(ConnectionPool pool) => pool.RentAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    private static void Return(ConnectionPool pool, PooledConnection connection) => pool.Return(connection, connection.Lease);

    private static Task Contend(Func<Task> operation) =>
        Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < PerWorker; i++)
            {
                await operation();
            }
        })));
}
