using System.ComponentModel.DataAnnotations.Schema;
using System.Diagnostics;
using Switchboard.Tests.Support;

namespace Switchboard.IntegrationTests.Replicas;

/// <summary>A model for the write-refusal tests; its table is created on the primary and never written through a replica scope.</summary>
[Table("rr_model_items")]
public class ReplicaItem : ActiveRecord<ReplicaItem>
{
    [Column("id")]
    public long Id { get; set; }

    [Column("v")]
    public int V { get; set; }
}

/// <summary>
/// The live PostgreSQL primary and its hot standby (replay delayed 300 ms): where reads land, read-your-writes under the
/// delay, the token across registries, forced and refused statements, and a standby that goes away under load.
/// </summary>
[Collection(nameof(ReplicaServersCollection))]
public class PostgreSqlReplicaTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Read_LandsOnTheStandby()
    {
        await using var pair = await ReplicaPair.PostgresAsync();
        Assert.True(pair.ReadRanOnReplica());
        Assert.True(await pair.Routed.ScalarAsync<bool>("SELECT pg_is_in_recovery()", null, Cancel));
        Assert.False(await pair.PrimaryDirect.ScalarAsync<bool>("SELECT pg_is_in_recovery()", null, Cancel));
    }

    [Fact]
    public async Task Causal_WriteThenRead_SeesTheWriteEveryTime_InAThousandTries()
    {
        await using var pair = await ReplicaPair.PostgresAsync();
        var stale = 0;
        for (var i = 1; i <= 1000; i++)
        {
            pair.Routed.Execute($"INSERT INTO {pair.Table} (v) VALUES (@i)", new { i });
            if (pair.Routed.Scalar<long>($"SELECT COUNT(*) FROM {pair.Table} WHERE v = @i", new { i }) != 1)
            {
                stale++;
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"[replicas] PostgreSQL causal: 1000 write-then-read tries with replay delayed 300 ms, {stale} stale");
        Assert.Equal(0, stale);
    }

    [Fact]
    public async Task Causal_AfterTheStandbyReplaysTheWrite_ReadsReturnToIt()
    {
        await using var pair = await ReplicaPair.PostgresAsync();
        pair.Routed.Execute($"INSERT INTO {pair.Table} (v) VALUES (1)");
        Assert.Equal(1, pair.Routed.Scalar<long>($"SELECT COUNT(*) FROM {pair.Table} WHERE v = 1"));

        var deadline = Stopwatch.StartNew();
        while (!pair.ReadRanOnReplica())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "Reads never returned to the standby after it replayed the write.");
            await Task.Delay(50, Cancel);
        }

        Assert.Equal(1, pair.Routed.Scalar<long>($"SELECT COUNT(*) FROM {pair.Table} WHERE v = 1"));
    }

    [Fact]
    public async Task Token_CarriesTheWriteToAnotherRegistry_AsIfAnotherProcess()
    {
        await using var writer = await ReplicaPair.PostgresAsync();
        var reader = new ConnectionRegistry();
        try
        {
            var readerConnection = reader.Configure("routed", writer.Routed.Config);
            var stale = 0;
            for (var i = 1; i <= 200; i++)
            {
                string? token;
                using (ConnectionManager.ContinueAfter(null))
                {
                    writer.Routed.Execute($"INSERT INTO {writer.Table} (v) VALUES (@i)", new { i });
                    token = ConnectionManager.CausalToken;
                }

                Assert.NotNull(token);
                var seen = await Task.Run(() =>
                {
                    using (ConnectionManager.ContinueAfter(token))
                    {
                        return readerConnection.Scalar<long>($"SELECT COUNT(*) FROM {writer.Table} WHERE v = @i", new { i });
                    }
                });
                stale += seen == 1 ? 0 : 1;
            }

            TestContext.Current.TestOutputHelper?.WriteLine($"[replicas] PostgreSQL token: 200 writes read from another registry with the token, {stale} stale");
            Assert.Equal(0, stale);

            // Without the token the other registry's reads go to the standby, which has not replayed the last write yet.
            using (ConnectionManager.ContinueAfter(null))
            {
                writer.Routed.Execute($"INSERT INTO {writer.Table} (v) VALUES (-1)");
            }

            var onStandby = await Task.Run(() => readerConnection.Scalar<bool>("SELECT pg_is_in_recovery()"));
            Assert.True(onStandby);
        }
        finally
        {
            await reader.DisposeAllAsync();
        }
    }

    [Fact]
    public async Task Window_ReadsGoToThePrimary_ThenReturnToTheStandby()
    {
        await using var pair = await ReplicaPair.PostgresAsync(new() { ["read_your_writes"] = "window", ["sticky_window"] = 1 });
        pair.Routed.Execute($"INSERT INTO {pair.Table} (v) VALUES (7)");
        Assert.False(pair.ReadRanOnReplica());
        Assert.Equal(1, pair.Routed.Scalar<long>($"SELECT COUNT(*) FROM {pair.Table} WHERE v = 7"));

        await Task.Delay(1200, Cancel);
        Assert.True(pair.ReadRanOnReplica());
    }

    [Fact]
    public async Task ForUpdate_AndWritableCte_GoToThePrimary()
    {
        await using var pair = await ReplicaPair.PostgresAsync();
        Assert.True(pair.ReadRanOnReplica());

        Assert.False(pair.Routed.Scalar<bool>($"SELECT pg_is_in_recovery() FROM {pair.Table} LIMIT 1 FOR UPDATE"));
        Assert.False(pair.Routed.Scalar<bool>($"SELECT pg_is_in_recovery() FROM {pair.Table} LIMIT 1 FOR UPDATE SKIP LOCKED"));
        Assert.False(pair.Routed.Scalar<bool>($"SELECT pg_is_in_recovery() FROM {pair.Table} LIMIT 1 FOR SHARE"));
        Assert.False(pair.Routed.Scalar<bool>($"WITH x AS (INSERT INTO {pair.Table} (v) VALUES (5) RETURNING v) SELECT pg_is_in_recovery() FROM x"));
        Assert.False(pair.Routed.Scalar<bool>("SELECT pg_is_in_recovery() FROM (SELECT nextval('" + pair.Table + "_id_seq')) s"));
        Assert.Equal(1, await pair.PrimaryDirect.ScalarAsync<long>($"SELECT COUNT(*) FROM {pair.Table} WHERE v = 5", null, Cancel));
    }

    [Fact]
    public async Task UsingPrimary_AndOnPrimary_ReadFromThePrimary()
    {
        await using var pair = await ReplicaPair.PostgresAsync();
        using (ConnectionManager.UsingPrimary())
        {
            Assert.False(pair.ReadRanOnReplica());
        }

        Assert.True(pair.ReadRanOnReplica());
        await EnsureModelTableAsync(pair);
        using (pair.Registry.Activate())
        {
            Assert.NotNull(ReplicaItem.Using("routed").OnPrimary().Where(i => i.V >= 0).All());
        }
    }

    [Fact]
    public async Task UsingReplicas_RefusesModelAndRawWrites_AndTheServerRefusesOneThatLooksLikeARead()
    {
        await using var pair = await ReplicaPair.PostgresAsync();
        await EnsureModelTableAsync(pair);
        var function = pair.Table + "_write";
        await pair.PrimaryDirect.ExecuteAsync(
            $"CREATE FUNCTION {function}() RETURNS int LANGUAGE sql AS $$ INSERT INTO {pair.Table} (v) VALUES (99) RETURNING v $$");
        await WaitOnReplicaAsync(pair, $"SELECT COUNT(*) FROM pg_proc WHERE proname = '{function}'");

        using (pair.Registry.Activate())
        using (ConnectionManager.UsingReplicas())
        {
            var raw = Assert.Throws<ReadOnlyException>(() => pair.Routed.Execute($"UPDATE {pair.Table} SET v = 1"));
            Assert.Contains("'routed'", raw.Message, StringComparison.Ordinal);
            Assert.Contains("UPDATE", raw.Message, StringComparison.Ordinal);
            var model = Assert.Throws<ReadOnlyException>(() => new ReplicaItem { V = 1 }.Save());
            Assert.Contains("INSERT", model.Message, StringComparison.Ordinal);
            Assert.Throws<ReadOnlyException>(() => pair.Routed.Execute($"SELECT * FROM {pair.Table} FOR UPDATE"));

            // The classifier sees a read; the standby's read-only session refuses the write inside the function.
            var refused = Assert.ThrowsAny<SwitchboardException>(() => pair.Routed.Scalar<int>($"SELECT {function}()"));
            Assert.Contains("read-only", refused.Message, StringComparison.OrdinalIgnoreCase);
            Assert.True(pair.ReadRanOnReplica());
        }

        Assert.Equal(0, await pair.PrimaryDirect.ScalarAsync<long>($"SELECT COUNT(*) FROM {pair.Table} WHERE v = 99", null, Cancel));
        Assert.Equal(0, await pair.PrimaryDirect.ScalarAsync<long>("SELECT COUNT(*) FROM rr_model_items WHERE v = 1", null, Cancel));
    }

    [Fact]
    public async Task ReplicaSession_IsReadOnlyOnTheServer()
    {
        await using var pair = await ReplicaPair.PostgresAsync();
        Assert.Equal("on", pair.Routed.Scalar<string>("SHOW default_transaction_read_only"));
    }

    [Fact]
    public async Task Replicas_ReportHealthLagAndPoolStatistics()
    {
        await using var pair = await ReplicaPair.PostgresAsync();
        Assert.True(pair.ReadRanOnReplica());
        await ReplicaPair.WaitForCheckAsync(pair.Routed);
        var replica = Assert.Single(pair.Routed.Replicas);
        Assert.Equal(ReplicaHealth.Healthy, replica.Health);
        Assert.NotNull(replica.Lag);
        Assert.NotNull(replica.LastChecked);
        Assert.True(replica.Statistics.Opened >= 1);
    }

    [Fact]
    public async Task Causal_CostWhenCaughtUp_IsMeasured()
    {
        await using var pair = await ReplicaPair.PostgresAsync();
        Assert.True(pair.ReadRanOnReplica());
        pair.Routed.Execute($"INSERT INTO {pair.Table} (v) VALUES (3)");
        await Task.Delay(800, Cancel);
        await ReplicaPair.WaitForCheckAsync(pair.Routed);
        using var plain = new ConnectionRegistry();
        var standby = plain.Configure("standby", pair.ReplicaDirect.Config);
        for (var i = 0; i < 100; i++)
        {
            pair.ReadRanOnReplica();
            standby.ExecuteRaw("SELECT pg_is_in_recovery()").Scalar<bool>();
        }

        // The same call both ways, alternating rounds: routed with a causal position to honour, and straight to the standby.
        TimeSpan causal = TimeSpan.Zero, direct = TimeSpan.Zero;
        var onReplica = 0;
        for (var round = 0; round < 10; round++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < 50; i++)
            {
                onReplica += pair.ReadRanOnReplica() ? 1 : 0;
            }

            causal += watch.Elapsed;
            watch.Restart();
            for (var i = 0; i < 50; i++)
            {
                standby.ExecuteRaw("SELECT pg_is_in_recovery()").Scalar<bool>();
            }

            direct += watch.Elapsed;
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"[replicas] PostgreSQL causal read when caught up: {causal.TotalMilliseconds / 500:0.000} ms vs {direct.TotalMilliseconds / 500:0.000} ms straight to the standby ({onReplica}/500 on the standby)");
        Assert.Equal(500, onReplica);
    }

    [Fact]
    public async Task StandbyStoppedAndStartedUnderLoad_FailsNoRead_AndIsUsedAgain()
    {
        var control = ReplicaServerControl.Require();
        await using var pair = await ReplicaPair.PostgresAsync();
        Assert.True(pair.ReadRanOnReplica());

        using var stop = new CancellationTokenSource();
        long reads = 0, onStandby = 0, onPrimary = 0;
        var failures = new List<Exception>();
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var replica = await pair.Routed.ScalarAsync<bool>("SELECT pg_is_in_recovery()");
                    Interlocked.Increment(ref reads);
                    Interlocked.Increment(ref replica ? ref onStandby : ref onPrimary);
                }
                catch (Exception exception)
                {
                    lock (failures)
                    {
                        failures.Add(exception);
                    }
                }
            }
        })).ToArray();

        await Task.Delay(500, Cancel);
        await control.RunAsync("sb_stop_standby_process", Cancel);
        await Task.Delay(1500, Cancel);
        var primaryWhileDown = Interlocked.Read(ref onPrimary);
        await control.RunAsync("sb_start_standby_process", Cancel);

        var deadline = Stopwatch.StartNew();
        var standbyBefore = Interlocked.Read(ref onStandby);
        while (Interlocked.Read(ref onStandby) == standbyBefore && deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100, Cancel);
        }

        await stop.CancelAsync();
        await Task.WhenAll(load);
        TestContext.Current.TestOutputHelper?.WriteLine($"[replicas] PostgreSQL standby stopped and started under load: {reads} reads, {failures.Count} failed, {primaryWhileDown} on the primary while it was down, {onStandby} on the standby");
        Assert.Empty(failures);
        Assert.True(primaryWhileDown > 0);
        Assert.True(Interlocked.Read(ref onStandby) > standbyBefore, "The standby was not used again after it returned.");
        Assert.Equal(ReplicaHealth.Healthy, pair.Routed.Replicas[0].Health);
    }

    private static async Task EnsureModelTableAsync(ReplicaPair pair)
    {
        await pair.PrimaryDirect.ExecuteAsync("CREATE TABLE IF NOT EXISTS rr_model_items (id bigserial PRIMARY KEY, v int NOT NULL)");
        await WaitOnReplicaAsync(pair, "SELECT COUNT(*) FROM pg_class WHERE relname = 'rr_model_items'");
    }

    private static async Task WaitOnReplicaAsync(ReplicaPair pair, string countSql)
    {
        var deadline = Stopwatch.StartNew();
        while (await pair.ReplicaDirect.ScalarAsync<long>(countSql) == 0)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "The replica did not receive the change within 30 s.");
            await Task.Delay(50);
        }
    }
}
