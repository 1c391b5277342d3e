using Switchboard.MySql;
using Switchboard.PostgreSql;
using Switchboard.Routing.Replicas;

namespace Switchboard.Tests.Providers;

/// <summary>Replication positions are compared by their meaning, never as text, and the causal token reads back exactly.</summary>
public class ReplicaProtocolTests
{
    [Theory]
    [InlineData("0/3089E98", "0/3089E98", true)]
    [InlineData("0/3089F00", "0/3089E98", true)]
    [InlineData("0/3089E30", "0/3089E98", false)]
    [InlineData("1/0", "0/FFFFFFFF", true)]
    [InlineData("0/FFFFFFFF", "1/0", false)]
    [InlineData("0/A", "0/9", true)]
    [InlineData("0/9", "0/10", false)]
    [InlineData("garbage", "0/1", false)]
    public void PostgreSqlLsn_ComparesAsNumbers(string replayed, string required, bool covers) =>
        Assert.Equal(covers, PostgreSqlReplicas.Instance.Covers(replayed, required));

    [Theory]
    [InlineData("0-1-10", "0-1-10", true)]
    [InlineData("0-1-11", "0-1-10", true)]
    [InlineData("0-1-9", "0-1-10", false)]
    [InlineData("0-2-100,1-1-5", "0-1-50,1-1-5", true)]
    [InlineData("0-1-100", "0-1-50,1-1-5", false)]
    [InlineData("0-1-100,1-1-4", "0-1-50,1-1-5", false)]
    [InlineData("0-1-9", "", true)]
    [InlineData("x", "0-1-1", false)]
    public void MariaDbGtid_ComparesEveryDomain(string replayed, string required, bool covers) =>
        Assert.Equal(covers, MariaDbReplicas.Instance.Covers(replayed, required));

    [Fact]
    public void MariaDbGtid_MergeCoversBoth()
    {
        var merged = MariaDbReplicas.Instance.Merge("0-1-10,2-1-3", "0-1-7,1-1-4");
        Assert.True(MariaDbReplicas.Instance.Covers(merged, "0-1-10,2-1-3"));
        Assert.True(MariaDbReplicas.Instance.Covers(merged, "0-1-7,1-1-4"));
        Assert.False(MariaDbReplicas.Instance.Covers(merged, "0-1-11"));
    }

    [Fact]
    public void Token_ReadsBackTheMarksOfTheFlowsOwnWrites()
    {
        var session = new CausalSession();
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        session.Record("orders", new CausalMark("0/3089E98", at, PositionUnknown: false), PostgreSqlReplicas.Instance);
        session.Record("odd name|,%", new CausalMark(null, at, PositionUnknown: true), null);
        session.Record("inherited", new CausalMark("0/1", at, PositionUnknown: false, Own: false), null);

        var token = CausalToken.Encode(session)!;
        Assert.Matches("^[A-Za-z0-9_-]+$", token);
        var marks = CausalToken.Decode(token).ToDictionary(m => m.Name, m => m.Mark);
        Assert.Equal(["odd name|,%", "orders"], marks.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new CausalMark("0/3089E98", at, false), marks["orders"]);
        Assert.Equal(new CausalMark(null, at, true), marks["odd name|,%"]);
        Assert.Null(CausalToken.Encode(new CausalSession()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("!!")]
    [InlineData("c2IyfGE")]
    [InlineData("c2IxfGEsMCwwLDI")]
    public void Token_Malformed_IsRefused(string token) => Assert.Throws<ArgumentException>(() => CausalToken.Decode(token));
}
