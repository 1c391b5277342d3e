using BenchmarkDotNet.Attributes;
using Switchboard.Routing.Replicas;

namespace Switchboard.Benchmarks;

/// <summary>
/// What replica routing adds to a read: the same find by key on a connection without replicas (today's path) and on one
/// with one healthy replica, where the read is routed to the replica's pool. The replica is the same SQLite file opened by
/// a pool of its own, so that the engine's work is identical and the difference is routing alone.
/// </summary>
[MemoryDiagnoser]
public class ReplicaRoutingBenchmarks
{
    private int _id;
    private Connection _plain = null!;
    private Connection _replicated = null!;

    [GlobalSetup]
    public void Setup()
    {
        var file = BenchmarkData.Create("replica-routing");
        BenchmarkData.ConfigureSwitchboard(file);
        var replicated = new ConnectionConfig { Driver = "sqlite", Database = file, PoolSize = 4, PoolRecycle = null };
        replicated.Replicas.Add(new ConnectionConfig { Database = file });
        _replicated = ConnectionManager.Configure("bench_replicated", replicated, replace: true);
        _plain = ConnectionManager.GetConnection("bench");
    }

    [GlobalCleanup]
    public void Cleanup() => ConnectionManager.DisposeAll();

    [Benchmark(Baseline = true, Description = "Post.Using(primary without replicas).Find")]
    public Post WithoutReplicas() => Post.Using("bench").Find(NextId());

    [Benchmark(Description = "Post.Using(primary with one replica).Find, routed to the replica")]
    public Post RoutedToReplica() => Post.Using("bench_replicated").Find(NextId());

    /// <summary>Today's routing step for a read: the check that the connection has no replicas and no scope refuses writes.</summary>
    [Benchmark(Description = "routing step of a read, no replicas (today's path)")]
    public bool TodaysRoutingStep() => _plain.ReplicaSet is null && !RoutingFlow.MayRefuseWrites;

    /// <summary>The routing step of a read on a connection with one healthy replica: the decision that picks it.</summary>
    [Benchmark(Description = "routing step of a read, one healthy replica")]
    public bool ReplicaRoutingStep() => ReplicaRouter.Decide(_replicated, _replicated.ReplicaSet, BenchmarkData.FindSql, StatementAccess.Read).Replica is not null;

    private int NextId() => _id = (_id % BenchmarkData.Rows) + 1;
}
