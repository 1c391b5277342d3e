using System.Diagnostics.Metrics;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Routing;

/// <summary>
/// Routing between a primary and its replicas, on SQLite files: the "replica" holds different rows, so every answer shows
/// where the statement ran. (SQLite reports no replication position, so read-your-writes is the window here; causal mode
/// is proven on the live PostgreSQL standby and MariaDB replica.)
/// </summary>
public class ReplicaRoutingTests
{
    private static Connection Pair(TestDatabase db, string name = "primary", double stickySeconds = 2, string? brokenReplica = null, object? readYourWrites = null)
    {
        var replicaFile = db.File(name + "-replica.db");
        Seed(db, replicaFile, "on-replica");
        Seed(db, db.File(name + ".db"), "on-primary");

        var settings = new Dictionary<string, object?>
        {
            ["driver"] = "sqlite",
            ["database"] = db.File(name + ".db"),
            ["pool_size"] = 3,
            ["sticky_window"] = stickySeconds,
            ["replicas"] = new object[]
            {
                new Dictionary<string, object?> { ["database"] = brokenReplica ?? replicaFile },
            },
        };
        if (readYourWrites is not null)
        {
            settings["read_your_writes"] = readYourWrites;
        }

        var primary = db.Registry.Configure(name, settings);
        db.Registry.DefaultConnectionName = name;
        return primary;
    }

    /// <summary>Writes a file's rows through a connection of its own, so that the pair starts with no write remembered.</summary>
    private static void Seed(TestDatabase db, string file, string row)
    {
        var seed = db.Registry.Configure("seed", new Dictionary<string, object?> { ["driver"] = "sqlite", ["database"] = file });
        seed.WithUsers().Execute("INSERT INTO users (name, status) VALUES (@row, 'x')", new { row });
        db.Registry.Dispose("seed");
    }

    private static string Where(Connection connection) => connection.Scalar<string>("SELECT name FROM users ORDER BY id LIMIT 1")!;

    [Fact]
    public void Read_OutsideTransaction_GoesToTheReplica()
    {
        using var db = new TestDatabase(Clock.Fake());
        var primary = Pair(db, readYourWrites: "off");

        Assert.Equal("on-replica", Where(primary));
        Assert.Equal("on-replica", User.Using("primary").First().Name);
        Assert.Equal(1, User.Using("primary").Count());
    }

    [Fact]
    public void Write_GoesToThePrimary_AndTheReplicaSessionIsReadOnlyOnTheServer()
    {
        using var db = new TestDatabase(Clock.Fake());
        var primary = Pair(db, readYourWrites: "off");

        primary.Execute("INSERT INTO users (name, status) VALUES ('written', 'x')");
        new User { Name = "saved", Status = "x" }.Save();

        using (ConnectionManager.UsingPrimary())
        {
            Assert.Equal(3, primary.Scalar<long>("SELECT COUNT(*) FROM users"));
        }

        Assert.Equal(1, primary.Scalar<long>("SELECT COUNT(*) FROM users"));
    }

    [Fact]
    public void Transaction_ReadsAndWritesOnThePrimary()
    {
        using var db = new TestDatabase(Clock.Fake());
        var primary = Pair(db, readYourWrites: "off");

        primary.Transaction(() => Assert.Equal("on-primary", Where(primary)));
    }

    [Fact]
    public void UsingPrimary_AndOnPrimary_ReadFromThePrimary()
    {
        using var db = new TestDatabase(Clock.Fake());
        var primary = Pair(db, readYourWrites: "off");

        using (ConnectionManager.UsingPrimary())
        {
            Assert.Equal("on-primary", Where(primary));
            Assert.Equal("on-primary", User.Using("primary").First().Name);
        }

        Assert.Equal("on-primary", User.Using("primary").OnPrimary().First().Name);
        Assert.Equal("on-primary", User.Using("primary").Where(u => u.Status == "x").OnPrimary().OrderBy(u => u.Id).First().Name);
        Assert.Equal("on-replica", User.Using("primary").First().Name);
    }

    [Fact]
    public void ForUpdate_AndWritableCte_GoToThePrimary()
    {
        using var db = new TestDatabase(Clock.Fake());
        var primary = Pair(db, readYourWrites: "off");

        // SQLite has no FOR UPDATE; what matters is the route, shown by the rows: the CTE's write lands on the primary.
        primary.Execute("WITH x AS (SELECT 1) INSERT INTO users (name, status) SELECT 'cte', 'x' FROM x");
        Assert.Equal(2, User.Using("primary").OnPrimary().Count());
    }

    [Fact]
    public void Window_ReadsAfterAWriteGoToThePrimary_UntilTheWindowPasses()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        var primary = Pair(db, stickySeconds: 2);
        Assert.Equal("on-replica", Where(primary));

        new User { Name = "mine", Status = "x" }.Save();
        Assert.Equal(2, User.Using("primary").Count());
        clock.Advance(TimeSpan.FromSeconds(1.9));
        Assert.Equal(2, User.Using("primary").Count());

        clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(1, User.Using("primary").Count());
    }

    [Fact]
    public async Task Window_AWriteInACalledAsyncMethod_IsSeenByTheCaller()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        var primary = Pair(db, stickySeconds: 2);

        await WriteAsync(primary);

        Assert.Equal(2, await User.Using("primary").CountAsync(TestContext.Current.CancellationToken));

        static async Task WriteAsync(Connection connection)
        {
            await Task.Yield();
            await connection.ExecuteAsync("INSERT INTO users (name, status) VALUES ('nested', 'x')", null, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Every public entry point gives the caller's flow its causal session before it goes async, Scalar's async form included.</summary>
    [Fact]
    public async Task ScalarAsync_GivesTheCallersFlowItsCausalSession()
    {
        using var db = new TestDatabase(Clock.Fake());
        var primary = Pair(db);

        var session = await Task.Run(
            async () =>
            {
                await primary.ScalarAsync<long>("SELECT COUNT(*) FROM users", cancellationToken: TestContext.Current.CancellationToken);
                return Switchboard.Routing.Replicas.RoutingFlow.Current?.Session;
            },
            TestContext.Current.CancellationToken);

        Assert.NotNull(session);
    }

    [Fact]
    public void Token_CarriesTheWriteToAnotherFlow()
    {
        var clock = Clock.Fake();
        using var db = new TestDatabase(clock);
        var primary = Pair(db, stickySeconds: 2);
        string? token;
        using (ConnectionManager.ContinueAfter(null))
        {
            Assert.Null(ConnectionManager.CausalToken);
            primary.Execute("INSERT INTO users (name, status) VALUES ('mine', 'x')");
            token = ConnectionManager.CausalToken;
        }

        Assert.NotNull(token);
        Assert.Matches("^[A-Za-z0-9_-]+$", token);
        var seen = Task.Run(() =>
        {
            using var registry = db.Registry.Activate();
            using (ConnectionManager.ContinueAfter(token))
            {
                return User.Using("primary").Count();
            }
        }).GetAwaiter().GetResult();
        Assert.Equal(2, seen);
    }

    [Fact]
    public void ContinueAfter_Garbage_IsRefusedWithTheFix()
    {
        var error = Assert.Throws<ArgumentException>(() => ConnectionManager.ContinueAfter("not a token!"));
        Assert.Contains("CausalToken", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ConnectionManager.ContinueAfter("c2IyfGE"));
    }

    [Fact]
    public void UsingReplicas_RefusesModelAndRawWritesBeforeTheyAreSent()
    {
        using var db = new TestDatabase(Clock.Fake());
        var primary = Pair(db);
        primary.Execute("INSERT INTO users (name, status) VALUES ('before', 'x')");

        using (ConnectionManager.UsingReplicas())
        {
            // Reads go to the replica even right after a write.
            Assert.Equal("on-replica", Where(primary));
            var raw = Assert.Throws<ReadOnlyException>(() => primary.Execute("DELETE FROM users WHERE name = 'secret-value'"));
            Assert.Contains("'primary'", raw.Message, StringComparison.Ordinal);
            Assert.Contains("DELETE FROM users", raw.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("secret-value", raw.Message, StringComparison.Ordinal);
            var model = Assert.Throws<ReadOnlyException>(() => new User { Name = "x", Status = "x" }.Save());
            Assert.Contains("INSERT", model.Message, StringComparison.Ordinal);
            Assert.Throws<ReadOnlyException>(() => primary.Execute("SELECT 1 FROM users FOR UPDATE"));

            using (ConnectionManager.UsingPrimary())
            {
                primary.Execute("INSERT INTO users (name, status) VALUES ('allowed', 'x')");
            }
        }

        using (ConnectionManager.UsingPrimary())
        {
            Assert.Equal(3, primary.Scalar<long>("SELECT COUNT(*) FROM users"));
        }
    }

    [Fact]
    public void UsingReplicas_RefusesWritesOnConnectionsWithoutReplicasToo()
    {
        using var db = new TestDatabase();
        var plain = db.Sqlite("plain").WithUsers();
        using (ConnectionManager.UsingReplicas())
        {
            Assert.Throws<ReadOnlyException>(() => plain.Execute("INSERT INTO users (name, status) VALUES ('x', 'x')"));
            Assert.Equal(0, plain.Scalar<long>("SELECT COUNT(*) FROM users"));
        }
    }

    [Fact]
    public void ReplicaSession_RefusesAWriteOnTheServer()
    {
        using var db = new TestDatabase(Clock.Fake());
        var primary = Pair(db, readYourWrites: "off");

        // The replica's session has PRAGMA query_only on: a write reaching it fails there instead of landing.
        var replicaPool = primary.ReplicaSet!.Replicas[0].Pool;
        var physical = replicaPool.RentAsync(async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        try
        {
            using var command = physical.Db.CreateCommand();
            command.CommandText = "INSERT INTO users (name, status) VALUES ('sneaked', 'x')";
            Assert.ThrowsAny<Exception>(() => command.ExecuteNonQuery());
        }
        finally
        {
            replicaPool.Return(physical, physical.Lease);
        }

        Assert.Equal(1, User.Using("primary").Count());
    }

    [Fact]
    public void DeadReplica_ReadIsRetriedOnThePrimary_AndTheReplicaIsMarkedDown()
    {
        using var db = new TestDatabase(Clock.Fake());
        var primary = Pair(db, brokenReplica: Path.Combine(db.Folder, "missing-dir", "replica.db"), readYourWrites: "off");

        Assert.Equal("on-primary", Where(primary));
        var replica = Assert.Single(primary.Replicas);
        Assert.Equal(ReplicaHealth.Down, replica.Health);
        Assert.Equal("on-primary", User.Using("primary").First().Name);
    }

    [Fact]
    public void Decisions_AreCountedWithTargetAndReason()
    {
        using var db = new TestDatabase(Clock.Fake());
        var primary = Pair(db, name: "counted", readYourWrites: "window");
        var seen = new List<(string Target, string Reason)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == SwitchboardDiagnostics.RoutingDecisions)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? pool = null, target = null, reason = null;
            foreach (var tag in tags)
            {
                switch (tag.Key)
                {
                    case SwitchboardDiagnostics.PoolNameTag: pool = tag.Value as string; break;
                    case SwitchboardDiagnostics.RoutingTargetTag: target = tag.Value as string; break;
                    case SwitchboardDiagnostics.RoutingReasonTag: reason = tag.Value as string; break;
                }
            }

            if (pool == "counted")
            {
                lock (seen)
                {
                    seen.Add((target!, reason!));
                }
            }
        });
        listener.Start();

        Where(primary);
        primary.Execute("INSERT INTO users (name, status) VALUES ('w', 'x')");
        Where(primary);
        using (ConnectionManager.UsingPrimary())
        {
            Where(primary);
        }

        primary.Transaction(() => Where(primary));

        Assert.Equal([("replica", "read"), ("primary", "write"), ("primary", "window"), ("primary", "forced"), ("primary", "transaction")], seen);
    }

    [Fact]
    public void Replicas_ListHostHealthAndPoolStatistics()
    {
        using var db = new TestDatabase(Clock.Fake());
        var primary = Pair(db, readYourWrites: "off");
        Where(primary);

        var replica = Assert.Single(primary.Replicas);
        Assert.Equal(0, replica.Index);
        Assert.Equal(ReplicaHealth.Healthy, replica.Health);
        Assert.Equal(1, replica.Statistics.Opened);
        Assert.Equal(3, replica.Statistics.MaxSize);
        Assert.Equal(1, replica.Weight);
    }

    [Fact]
    public async Task CheckReplicasAsync_ChecksEveryReplicaNow_AndReportsAnUnreachableOneDown()
    {
        using var db = new TestDatabase(Clock.Fake());
        var healthy = Pair(db, name: "good", readYourWrites: "off");
        var broken = Pair(db, name: "bad", brokenReplica: Path.Combine(db.Folder, "missing-dir", "replica.db"), readYourWrites: "off");
        Assert.Null(Assert.Single(healthy.Replicas).LastChecked);

        var good = Assert.Single(await healthy.CheckReplicasAsync(TestContext.Current.CancellationToken));
        var bad = Assert.Single(await broken.CheckReplicasAsync(TestContext.Current.CancellationToken));

        Assert.Equal(ReplicaHealth.Healthy, good.Health);
        Assert.NotNull(good.LastChecked);
        Assert.Equal(1, good.Statistics.Opened);
        Assert.Equal(ReplicaHealth.Down, bad.Health);
        Assert.Empty(await db.Registry.Configure("alone", new Dictionary<string, object?> { ["driver"] = "sqlite", ["database"] = db.File("alone.db") })
            .CheckReplicasAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Dispose_ClosesTheReplicaPools()
    {
        using var db = new TestDatabase(Clock.Fake());
        var primary = Pair(db, readYourWrites: "off");
        Where(primary);
        var pool = primary.ReplicaSet!.Replicas[0].Pool;

        db.Registry.Dispose("primary");

        Assert.Equal(0, pool.Statistics.Size);
    }
}
