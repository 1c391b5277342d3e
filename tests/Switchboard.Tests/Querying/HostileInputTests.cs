using Switchboard.Tests.Support;

namespace Switchboard.Tests.Querying;

/// <summary>docs/RELIABILITY.md item 26: values are always parameters and identifiers always quoted.</summary>
public class HostileInputTests
{
    private const string Hostile = "x'); DROP TABLE users; --";

    [Fact]
    public void HostileValues_InEveryKindOfWhere_AreDataNotSql()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary").WithUsers();
        new User { Name = Hostile, Status = "\" OR 1=1 --" }.Save();

        Assert.Equal(Hostile, User.Where(u => u.Name == Hostile).All().Single().Name);
        Assert.Equal(Hostile, User.Where(new { name = Hostile }).All().Single().Name);
        Assert.Equal(Hostile, User.Where("name = @n", new { n = Hostile }).All().Single().Name);
        Assert.Single(User.Where(u => u.Name.Contains("'); DROP")).All());
        Assert.Empty(User.Where(u => u.Status == "' OR '1'='1").All());
        Assert.Equal(1L, connection.Scalar<long>("SELECT COUNT(*) FROM users"));
    }

    [Fact]
    public void LikePatterns_EscapeWildcards()
    {
        using var db = new TestDatabase();
        db.Sqlite("primary").WithUsers();
        new User { Name = "100%", Status = "a_b" }.Save();
        new User { Name = "1000", Status = "axb" }.Save();
        Assert.Equal(["100%"], User.Where(u => u.Name.Contains("0%")).All().Select(u => u.Name));
        Assert.Equal(["a_b"], User.Where(u => u.Status.EndsWith("_b")).All().Select(u => u.Status));
    }

    [Fact]
    public void HostileOrderByInput_IsRefused()
    {
        using var db = new TestDatabase();
        db.Sqlite("primary").WithUsers();
        var error = Assert.Throws<ArgumentException>(() => User.OrderBy("name; DROP TABLE users").All());
        Assert.Contains("not a column", error.Message);
        Assert.Empty(User.OrderBy("Name", descending: true).All());
    }

    [Fact]
    public void HostileIdentifiers_AreQuoted()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary");
        connection.Execute("CREATE TABLE \"odd \"\" table\" (\"Id\" INTEGER PRIMARY KEY, \"we\"\"ird col\" TEXT)");
        var record = new Odd { Weird = "value" };
        record.Save();
        Assert.Equal("value", Odd.Find(record.Id).Weird);
        Assert.Contains("\"we\"\"ird col\"", Odd.Where(o => o.Weird == "v").ToSql());
    }

    [System.ComponentModel.DataAnnotations.Schema.Table("odd \" table")]
    public class Odd : ActiveRecord<Odd>
    {
        public long Id { get; set; }

        [System.ComponentModel.DataAnnotations.Schema.Column("we\"ird col")]
        public string Weird { get; set; } = "";
    }
}
