using Switchboard.Tests.Support;

namespace Switchboard.Tests.Querying;

/// <summary>Issue 8 (Messages): an ArgumentException names the argument the user passed, never an internal one such as "mapping".</summary>
public class ArgumentNameTests
{
    [Fact]
    public async Task Where_WithAnUnknownColumn_NamesTheEqualitiesArgument_SyncAndAsync()
    {
        using var db = new TestDatabase();
        db.Sqlite("primary").WithUsers();

        var sync = Assert.Throws<ArgumentException>(() => User.Where(new { nickname = "x" }).All());
        var async = await Assert.ThrowsAsync<ArgumentException>(() => User.Where(new { nickname = "x" }).AllAsync(TestContext.Current.CancellationToken));

        foreach (var error in new[] { sync, async })
        {
            Assert.Equal("equalities", error.ParamName);
            Assert.Contains("'nickname'", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void OrderBy_WithAnUnknownColumn_NamesTheColumnArgument()
    {
        using var db = new TestDatabase();
        db.Sqlite("primary").WithUsers();

        var error = Assert.Throws<ArgumentException>(() => User.OrderBy("nickname").All());

        Assert.Equal("column", error.ParamName);
        Assert.Contains("'nickname'", error.Message, StringComparison.Ordinal);
    }
}
