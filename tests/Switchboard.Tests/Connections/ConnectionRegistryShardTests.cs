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

    [Fact]
    public void Replace_GivesTheShardsAnew_KeepingTheirData_AndADroppedShardIsNoLongerChosen()
    {
        using var db = new TestDatabase();
        SqliteShards(db, "orders", replace: false, "a", "b");
        db.Registry.GetConnection("orders:a").Execute("CREATE TABLE t (v TEXT)");
        db.Registry.GetConnection("orders:a").Execute("INSERT INTO t VALUES ('kept')");
        var before = db.Registry.GetConnection("orders:a");
        using var held = db.Registry.GetConnection("orders:b").BeginTransaction();
        Assert.Equal(1, held.Scalar<long>("SELECT 1")); // holds its connection from here on

        var refused = Assert.Throws<ConfigurationException>(() => SqliteShards(db, "orders", replace: false, "a"));
        Assert.Contains("replace: true", refused.Message, StringComparison.Ordinal);
        SqliteShards(db, "orders", replace: true, "a", "c");

        Assert.Equal(["a", "c"], db.Registry.ShardsOf("orders"));
        Assert.NotSame(before, db.Registry.GetConnection("orders:a"));
        Assert.Equal("kept", db.Registry.GetConnection("orders:a").Scalar<string>("SELECT v FROM t"));
        Assert.Equal("kept", before.Scalar<string>("SELECT v FROM t")); // a holder of the old one is handed over
        Assert.False(db.Registry.IsConfigured("orders:b"));
        Assert.Contains("no shard 'b'", Assert.Throws<ConfigurationException>(() => db.Registry.UsingShard("orders", "b")).Message, StringComparison.Ordinal);
        Assert.Equal(1, held.Scalar<long>("SELECT 1")); // work already on the dropped shard finishes
        held.Commit();
        Assert.Equal(1, db.Registry.GetConnection("orders:c").Scalar<long>("SELECT 1"));
    }

    [Fact]
    public void Replace_WithAnInvalidShard_ChangesNothing()
    {
        using var db = new TestDatabase();
        SqliteShards(db, "orders", replace: false, "a");
        var a = db.Registry.GetConnection("orders:a");

        Assert.Throws<ConfigurationException>(() => db.Registry.ConfigureShards("orders", new Dictionary<string, object>
        {
            ["a"] = new ConnectionConfig { Driver = "sqlite", Database = db.File("a2.db") },
            ["b"] = new ConnectionConfig { Driver = "sqlite", Database = db.File("b.db"), PoolSize = 0 },
        }, replace: true));

        Assert.Same(a, db.Registry.GetConnection("orders:a"));
        Assert.Equal(["a"], db.Registry.ShardsOf("orders"));
        Assert.False(db.Registry.IsConfigured("orders:b"));
    }

    [Fact]
    public void AShardCannotTakeTheNameOfAConnectionConfiguredApart()
    {
        using var db = new TestDatabase();
        var apart = db.Sqlite("orders:a");

        var error = Assert.Throws<ConfigurationException>(() => SqliteShards(db, "orders", replace: false, "a"));

        Assert.Contains("'orders:a' is already configured", error.Message, StringComparison.Ordinal);
        Assert.Same(apart, db.Registry.GetConnection("orders:a"));
        Assert.Throws<ConfigurationException>(() => db.Registry.ShardsOf("orders"));
    }

    [Fact]
    public async Task DisposingTheShardedName_DisposesEveryShard_AndFreesTheName()
    {
        using var db = new TestDatabase();
        SqliteShards(db, "orders", replace: false, "a", "b");

        Assert.True(await db.Registry.DisposeAsync("orders"));

        Assert.False(db.Registry.IsConfigured("orders:a"));
        Assert.False(db.Registry.IsConfigured("orders:b"));
        Assert.Throws<ConfigurationException>(() => db.Registry.ShardsOf("orders"));
        SqliteShards(db, "orders", replace: false, "c");
        Assert.Equal(["c"], db.Registry.ShardsOf("orders"));
        Assert.True(await db.Registry.DisposeAsync("orders", TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken));
        Assert.False(db.Registry.IsConfigured("orders:c"));
    }

    [Fact]
    public void DisposeAll_FreesShardedNames_AsEveryOtherName()
    {
        using var db = new TestDatabase();
        SqliteShards(db, "orders", replace: false, "a");

        db.Registry.DisposeAll();

        Assert.Throws<ConfigurationException>(() => db.Registry.ShardsOf("orders"));
        SqliteShards(db, "orders", replace: false, "a", "b");
        Assert.Equal(["a", "b"], db.Registry.ShardsOf("orders"));
        Assert.Equal(1, db.Registry.GetConnection("orders:b").Scalar<long>("SELECT 1"));
    }

    private static void SqliteShards(TestDatabase db, string name, bool replace, params string[] shards) =>
        db.Registry.ConfigureShards(
            name,
            shards.ToDictionary(shard => shard, shard => (object)new ConnectionConfig { Driver = "sqlite", Database = db.File(shard + ".db") }),
            replace);
}
