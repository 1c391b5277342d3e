using Switchboard.Tests.Support;

namespace Switchboard.Tests.Connections;

public sealed class ConnectionRegistryShardTests
{
    [Fact]
    public async Task EachShard_IsAnOrdinaryNamedConnection_AndTheShardedNameNeedsAShard()
    {
        using var db = new TestDatabase();
        db.Registry.ConfigureShards("orders", new Dictionary<string, object>
        {
            ["a"] = new ConnectionConfig { Driver = "sqlite", Database = db.File("a.db") },
            ["b"] = "sqlite:///" + db.File("b.db"),
        });

        db.Registry.GetConnection("orders:a").Execute("CREATE TABLE t (v TEXT)");
        db.Registry.GetConnection("orders:b").Execute("CREATE TABLE t (v TEXT)");
        using (db.Registry.UsingShard("orders", "b"))
        {
            db.Registry.GetConnection("orders").Execute("INSERT INTO t VALUES ('b')");
            using (db.Registry.UsingShard("orders", "a"))
            {
                Assert.Equal("orders:a", db.Registry.GetConnection("orders").Name);
            }

            Assert.Equal("orders:b", db.Registry.GetConnection("orders").Name);
        }

        var error = Assert.Throws<ConfigurationException>(() => db.Registry.GetConnection("orders"));
        Assert.Contains("UsingShard", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, db.Registry.GetConnection("orders:a").Scalar<long>("SELECT COUNT(*) FROM t"));
        Assert.Equal(1, db.Registry.GetConnection("orders:b").Scalar<long>("SELECT COUNT(*) FROM t"));
        Assert.Equal(["a", "b"], db.Registry.ShardsOf("orders"));

        var counts = await db.Registry.ForEachShardAsync("orders", (c, token) => c.ScalarAsync<long>("SELECT COUNT(*) FROM t", cancellationToken: token), maxParallel: 1);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 0, ["b"] = 1 }, counts);
    }

    [Fact]
    public void BadShardConfigurations_AreRefusedNamingTheProblem()
    {
        using var db = new TestDatabase();
        Assert.Contains("no shards", Assert.Throws<ConfigurationException>(() => db.Registry.ConfigureShards("s", new Dictionary<string, object>())).Message, StringComparison.Ordinal);
        Assert.Contains("Int32", Assert.Throws<ConfigurationException>(() => db.Registry.ConfigureShards("s", new Dictionary<string, object> { ["x"] = 5 })).Message, StringComparison.Ordinal);

        db.Registry.ConfigureShards("orders", new Dictionary<string, object> { ["a"] = new ConnectionConfig { Driver = "sqlite", Database = db.File("a.db") } });
        Assert.Throws<ConfigurationException>(() => db.Sqlite("orders"));
        Assert.Contains("no shard 'z'", Assert.Throws<ConfigurationException>(() => db.Registry.UsingShard("orders", "z")).Message, StringComparison.Ordinal);
        Assert.Contains("not sharded", Assert.Throws<ConfigurationException>(() => db.Registry.UsingShard("plain", "a")).Message, StringComparison.Ordinal);
    }
}
