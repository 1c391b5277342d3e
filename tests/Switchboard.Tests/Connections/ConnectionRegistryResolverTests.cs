using Switchboard.Tests.Support;

namespace Switchboard.Tests.Connections;

public sealed class ConnectionRegistryResolverTests
{
    [Fact]
    public void AnUnconfiguredNameWithThePrefix_IsConfiguredFromTheResolverOnFirstUse()
    {
        using var db = new TestDatabase();
        var asked = new List<string>();
        db.Registry.ConfigureResolver("tenant:", name =>
        {
            asked.Add(name);
            return new ConnectionConfig { Driver = "sqlite", Database = db.File(name.Replace(':', '_') + ".db") };
        });

        Assert.False(db.Registry.IsConfigured("tenant:7"));
        var connection = db.Registry.GetConnection("tenant:7");
        connection.Execute("CREATE TABLE t (v INTEGER)");
        connection.Execute("INSERT INTO t VALUES (7)");

        Assert.True(db.Registry.IsConfigured("tenant:7"));
        Assert.Same(connection, db.Registry.GetConnection("tenant:7"));
        Assert.Equal(7, db.Registry.GetConnection("tenant:7").Scalar<long>("SELECT v FROM t"));
        Assert.Equal(["tenant:7"], asked);
        Assert.True(File.Exists(db.File("tenant_7.db")));
    }

    [Fact]
    public async Task ConcurrentFirstUses_CallTheResolverOnce()
    {
        using var db = new TestDatabase();
        var calls = 0;
        using var release = new ManualResetEventSlim();
        db.Registry.ConfigureResolver("tenant:", name =>
        {
            Interlocked.Increment(ref calls);
            release.Wait(TimeSpan.FromSeconds(10));
            return new ConnectionConfig { Driver = "sqlite", Database = db.File("shared.db") };
        });

        var lookups = Enumerable.Range(0, 16).Select(_ => Task.Run(() => db.Registry.GetConnection("tenant:1"))).ToArray();
        await Task.Delay(200, TestContext.Current.CancellationToken);
        release.Set();
        var connections = await Task.WhenAll(lookups);

        Assert.Equal(1, calls);
        Assert.All(connections, c => Assert.Same(connections[0], c));
    }

    [Fact]
    public void AResolverReturningNull_GivesTheUsualUnknownNameError()
    {
        using var db = new TestDatabase();
        db.Registry.ConfigureResolver("tenant:", _ => null);

        var error = Assert.Throws<ConfigurationException>(() => db.Registry.GetConnection("tenant:missing"));

        Assert.Contains("No connection named 'tenant:missing' is configured", error.Message, StringComparison.Ordinal);
        Assert.False(db.Registry.IsConfigured("tenant:missing"));
    }

    [Fact]
    public void AThrowingResolver_GivesAConfigurationExceptionThatWrapsIt()
    {
        using var db = new TestDatabase();
        var thrown = new InvalidOperationException("tenant directory unavailable");
        db.Registry.ConfigureResolver("tenant:", _ => throw thrown);

        var error = Assert.Throws<ConfigurationException>(() => db.Registry.GetConnection("tenant:3"));

        Assert.Same(thrown, error.InnerException);
        Assert.Equal("tenant:3", error.ConnectionName);
        Assert.Contains("resolver", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AResolverReturningAnInvalidConfiguration_FailsNamingTheKey()
    {
        using var db = new TestDatabase();
        db.Registry.ConfigureResolver("tenant:", _ => new ConnectionConfig { Driver = "sqlite" });

        var error = Assert.Throws<ConfigurationException>(() => db.Registry.GetConnection("tenant:3"));

        Assert.Equal("database", error.Key);
    }

    [Fact]
    public void NamesWithoutThePrefix_AreNotResolved()
    {
        using var db = new TestDatabase();
        var calls = 0;
        db.Registry.ConfigureResolver("tenant:", _ =>
        {
            calls++;
            return null;
        });

        Assert.Throws<ConfigurationException>(() => db.Registry.GetConnection("other:1"));
        Assert.Equal(0, calls);
    }

    [Fact]
    public void ResolvedConnections_AreEvictedAfter600SecondsByDefault_OthersNever()
    {
        using var db = new TestDatabase();
        db.Registry.ConfigureResolver("tenant:", name => new ConnectionConfig { Driver = "sqlite", Database = db.File("t.db") });
        db.Registry.ConfigureResolver("kept:", name => new ConnectionConfig { Driver = "sqlite", Database = db.File("k.db"), EvictAfter = Timeout.InfiniteTimeSpan });

        Assert.Equal(TimeSpan.FromSeconds(600), db.Registry.GetConnection("tenant:1").EvictAfter);
        Assert.Null(db.Registry.GetConnection("kept:1").EvictAfter);
        Assert.Null(db.Sqlite("plain").EvictAfter);
    }

    [Fact]
    public void ConfiguringTenThousandNames_OpensNothing()
    {
        using var db = new TestDatabase();
        for (var i = 0; i < 10_000; i++)
        {
            db.Registry.Configure($"tenant:{i}", new ConnectionConfig { Driver = "sqlite", Database = db.File($"t{i}.db") });
        }

        Assert.Equal(10_000, db.Registry.Names.Count);
        Assert.Equal(0, db.Registry.OpenPools);
        Assert.Empty(Directory.GetFiles(db.Folder));
        Assert.Equal(0, db.Registry.GetConnection("tenant:5").Statistics.Size);

        // The unknown-name message lists a few names, never ten thousand.
        var error = Assert.Throws<ConfigurationException>(() => db.Registry.GetConnection("nope"));
        Assert.Contains("and 9980 more", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyPrefix_IsRefused()
    {
        using var db = new TestDatabase();
        var error = Assert.Throws<ConfigurationException>(() => db.Registry.ConfigureResolver("", _ => null));
        Assert.Contains("prefix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASecondResolverForThePrefix_ConfiguresTheNamesTheFirstMadeAgain()
    {
        using var db = new TestDatabase();
        db.Registry.ConfigureResolver("tenant:", name => new ConnectionConfig { Driver = "sqlite", Database = db.File("old-" + name[7..] + ".db"), PoolSize = 2 });
        var first = db.Registry.GetConnection("tenant:1");
        first.Execute("CREATE TABLE t (v INTEGER)");
        _ = db.Registry.GetConnection("tenant:gone");
        var apart = db.Sqlite("tenant:apart");

        db.Registry.ConfigureResolver("tenant:", name => name == "tenant:gone"
            ? null
            : new ConnectionConfig { Driver = "sqlite", Database = db.File("new-" + name[7..] + ".db"), PoolSize = 3 });

        var now = db.Registry.GetConnection("tenant:1");
        Assert.NotSame(first, now);
        Assert.Equal(3, now.Config.PoolSize);
        Assert.EndsWith("new-1.db", now.Config.Database, StringComparison.Ordinal);
        Assert.Equal(0, first.Scalar<long>("SELECT COUNT(*) FROM sqlite_master")); // a holder of the old one is handed over to the new file
        Assert.False(db.Registry.IsConfigured("tenant:gone"));
        Assert.Throws<ConfigurationException>(() => db.Registry.GetConnection("tenant:gone"));
        Assert.Same(apart, db.Registry.GetConnection("tenant:apart")); // configured by name, not by the resolver
        Assert.EndsWith("new-2.db", db.Registry.GetConnection("tenant:2").Config.Database, StringComparison.Ordinal);
    }

    [Fact]
    public void RemoveResolver_DisposesWhatItConfigured_AndItsNamesAreUnknownAfter()
    {
        using var db = new TestDatabase();
        db.Registry.ConfigureResolver("tenant:", name => new ConnectionConfig { Driver = "sqlite", Database = db.File(name[7..] + ".db") });
        var one = db.Registry.GetConnection("tenant:1");
        Assert.Equal(1, one.Scalar<long>("SELECT 1"));

        Assert.True(db.Registry.RemoveResolver("tenant:"));
        Assert.False(db.Registry.RemoveResolver("tenant:"));

        Assert.False(db.Registry.IsConfigured("tenant:1"));
        Assert.Contains("No connection named 'tenant:1'", Assert.Throws<ConfigurationException>(() => db.Registry.GetConnection("tenant:1")).Message, StringComparison.Ordinal);
        Assert.Contains("No connection named 'tenant:2'", Assert.Throws<ConfigurationException>(() => db.Registry.GetConnection("tenant:2")).Message, StringComparison.Ordinal);
    }
}
