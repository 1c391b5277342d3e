using Switchboard.Tests.Support;

namespace Switchboard.Tests.Seed;

public class SmokeTests
{
    [Fact]
    public void Users_RoundTrip_OnSqlite()
    {
        using var db = new TestDatabase();
        db.Sqlite("primary").WithUsers();
        var user = new User { Name = "Ann", Status = "active", Age = 30 };
        user.Save();
        Assert.True(user.Id > 0);
        var loaded = User.Find(user.Id);
        Assert.Equal("Ann", loaded.Name);
        loaded.Name = "Anne";
        loaded.Save();
        Assert.Equal("Anne", User.Find(user.Id).Name);
        Assert.Single(User.Where(u => u.Status == "active").All());
        Assert.Single(User.Where(new { status = "active" }).All());
        Assert.Equal(1, db.Registry.GetConnection("primary").ExecuteRaw("SELECT COUNT(*) FROM users WHERE status = @s", new { s = "active" }).Scalar<long>());
    }
}
