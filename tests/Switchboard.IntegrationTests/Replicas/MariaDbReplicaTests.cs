using System.Diagnostics;

namespace Switchboard.IntegrationTests.Replicas;

/// <summary>The live MariaDB primary and its GTID replica: where reads land, causal reads, and refused writes.</summary>
[Collection(nameof(ReplicaServersCollection))]
public class MariaDbReplicaTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Read_LandsOnTheReplica()
    {
        await using var pair = await ReplicaPair.MariaDbAsync();
        Assert.True(pair.ReadRanOnReplica());
        Assert.Equal(2, await pair.Routed.ScalarAsync<long>("SELECT @@server_id", null, Cancel));
        Assert.Equal(1, await pair.Routed.ScalarAsync<long>("SELECT @@read_only", null, Cancel));
    }

    [Fact]
    public async Task Causal_WriteThenRead_SeesTheWriteEveryTime()
    {
        await using var pair = await ReplicaPair.MariaDbAsync();
        var stale = 0;
        var onReplica = 0;
        for (var i = 1; i <= 500; i++)
        {
            pair.Routed.Execute($"INSERT INTO {pair.Table} (v) VALUES (@i)", new { i });
            var row = pair.Routed.ExecuteRaw($"SELECT COUNT(*), @@server_id FROM {pair.Table} WHERE v = @i", new { i }).Values[0];
            stale += Convert.ToInt64(row[0], System.Globalization.CultureInfo.InvariantCulture) == 1 ? 0 : 1;
            onReplica += Convert.ToInt64(row[1], System.Globalization.CultureInfo.InvariantCulture) == 2 ? 1 : 0;
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"[replicas] MariaDB causal: 500 write-then-read tries, {stale} stale, {onReplica} read on the replica");
        Assert.Equal(0, stale);
    }

    [Fact]
    public async Task Causal_AfterTheReplicaCatchesUp_ReadsGoToIt()
    {
        await using var pair = await ReplicaPair.MariaDbAsync();
        pair.Routed.Execute($"INSERT INTO {pair.Table} (v) VALUES (1)");
        var deadline = Stopwatch.StartNew();
        while (!pair.ReadRanOnReplica())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "Reads never returned to the replica.");
            await Task.Delay(50, Cancel);
        }

        Assert.Equal(1, pair.Routed.Scalar<long>($"SELECT COUNT(*) FROM {pair.Table} WHERE v = 1"));
    }

    [Fact]
    public async Task ForUpdate_AndLockFunctions_GoToThePrimary()
    {
        await using var pair = await ReplicaPair.MariaDbAsync();
        Assert.Equal(1, pair.Routed.Scalar<long>($"SELECT @@server_id FROM {pair.Table} LIMIT 1 FOR UPDATE"));
        Assert.Equal(1, pair.Routed.Scalar<long>($"SELECT @@server_id FROM {pair.Table} LIMIT 1 LOCK IN SHARE MODE"));
        Assert.Equal(1, pair.Routed.Scalar<long>("SELECT @@server_id + GET_LOCK('rr', 0) - 1"));
    }

    [Fact]
    public async Task UsingReplicas_RefusesRawWrites_AndTheServerRefusesOneThatLooksLikeARead()
    {
        await using var pair = await ReplicaPair.MariaDbAsync();
        var function = pair.Table + "_write";
        await pair.PrimaryDirect.ExecuteAsync(
            $"CREATE FUNCTION {function}() RETURNS int MODIFIES SQL DATA DETERMINISTIC BEGIN INSERT INTO {pair.Table} (v) VALUES (99); RETURN 1; END");
        var deadline = Stopwatch.StartNew();
        while (await pair.ReplicaDirect.ScalarAsync<long>($"SELECT COUNT(*) FROM information_schema.routines WHERE routine_name = '{function}'") == 0)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30));
            await Task.Delay(50, Cancel);
        }

        using (ConnectionManager.UsingReplicas())
        {
            var raw = Assert.Throws<ReadOnlyException>(() => pair.Routed.Execute($"DELETE FROM {pair.Table}"));
            Assert.Contains("DELETE FROM", raw.Message, StringComparison.Ordinal);
            Assert.Throws<ReadOnlyException>(() => pair.Routed.Execute($"REPLACE INTO {pair.Table} (id, v) VALUES (1, 1)"));
            var refused = Assert.ThrowsAny<SwitchboardException>(() => pair.Routed.Scalar<int>($"SELECT {function}()"));
            Assert.Contains("READ ONLY", refused.Message, StringComparison.OrdinalIgnoreCase);
        }

        await pair.PrimaryDirect.ExecuteAsync($"DROP FUNCTION {function}");
        Assert.Equal(0, await pair.PrimaryDirect.ScalarAsync<long>($"SELECT COUNT(*) FROM {pair.Table} WHERE v = 99", null, Cancel));
    }

    [Fact]
    public async Task Replicas_ReportHealthAndLag()
    {
        await using var pair = await ReplicaPair.MariaDbAsync();
        Assert.True(pair.ReadRanOnReplica());
        await ReplicaPair.WaitForCheckAsync(pair.Routed);
        var replica = Assert.Single(pair.Routed.Replicas);
        Assert.Equal(ReplicaHealth.Healthy, replica.Health);
        Assert.Equal(TimeSpan.Zero, replica.Lag);
    }
}
