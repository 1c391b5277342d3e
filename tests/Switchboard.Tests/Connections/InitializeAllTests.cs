using Switchboard.Tests.Support;

namespace Switchboard.Tests.Connections;

/// <summary><c>InitializeAll</c> and <c>InitializeAllAsync</c> on the success path: one connection opened and pooled per name, ready for use.</summary>
public class InitializeAllTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InitializeAll_OpensAndPoolsOneConnectionPerName_WhichTheFirstStatementReuses(bool async)
    {
        using var db = new TestDatabase();
        var a = db.Sqlite("a");
        var b = db.Sqlite("b");
        Assert.Equal(0, a.Statistics.Opened + b.Statistics.Opened);

        if (async)
        {
            await db.Registry.InitializeAllAsync(TestContext.Current.CancellationToken);
        }
        else
        {
            db.Registry.InitializeAll();
        }

        Assert.Equal(new PoolStatistics(1, 1, 0, 0, 1, 0, 0, 5), a.Statistics);
        Assert.Equal(new PoolStatistics(1, 1, 0, 0, 1, 0, 0, 5), b.Statistics);
        Assert.Equal(1L, await a.ScalarAsync<long>("SELECT 1", null, TestContext.Current.CancellationToken));
        Assert.Equal(1L, b.Scalar<long>("SELECT 1"));
        Assert.Equal(1, a.Statistics.Opened);
        Assert.Equal(1, b.Statistics.Opened);
    }
}
