using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Records;

public class ActiveRecordTests
{
    private static TestDatabase WithPeople(out Connection connection)
    {
        var db = new TestDatabase();
        connection = db.Sqlite("primary").WithUsers();
        connection.Execute("INSERT INTO users (name, status, age, email_address) VALUES ('Ann', 'active', 30, 'ann@example.com'), ('Bo', 'active', 41, NULL), ('Cy', 'banned', 22, 'cy@example.com'), ('Di', 'active', 35, NULL)");
        return db;
    }

    [Fact]
    public void Find_ReturnsTheRecord_AndThrowsRecordNotFoundWhenMissing()
    {
        using var db = WithPeople(out _);
        var ann = User.Find(1);
        Assert.Equal("Ann", ann.Name);
        Assert.Equal("ann@example.com", ann.Email);
        Assert.Equal(30, ann.Age);

        var error = Assert.Throws<RecordNotFoundException>(() => User.Find(99));
        Assert.Equal(typeof(User), error.ModelType);
        Assert.Equal(99, error.Key);
        Assert.Contains("FindOrDefault", error.Message);
        Assert.Null(User.FindOrDefault(99));
    }

    [Fact]
    public void Where_Expression_TranslatesComparisonsLogicAndStrings()
    {
        using var db = WithPeople(out _);
        var minimum = 30;
        Assert.Equal(["Ann", "Bo", "Di"], User.Where(u => u.Status == "active").OrderBy(u => u.Name).All().Select(u => u.Name));
        Assert.Equal(["Di", "Bo"], User.Where(u => u.Age > minimum && u.Status != "banned").OrderBy(u => u.Age).All().Select(u => u.Name));
        Assert.Equal(["Ann", "Cy"], User.Where(u => u.Email != null).OrderBy(u => u.Name).All().Select(u => u.Name));
        Assert.Equal(["Bo", "Di"], User.Where(u => u.Email == null).OrderBy(u => u.Name).All().Select(u => u.Name));
        Assert.Equal(["Cy", "Di"], User.Where(u => u.Age < 25 || u.Name.StartsWith('D')).OrderBy(u => u.Name).All().Select(u => u.Name));
        Assert.Equal(["Ann"], User.Where(u => u.Email!.Contains("ann@")).All().Select(u => u.Name));
        Assert.Equal(["Bo", "Cy"], User.Where(u => new[] { "Bo", "Cy" }.Contains(u.Name)).OrderBy(u => u.Name).All().Select(u => u.Name));
        Assert.Equal(["Cy"], User.Where(u => !(u.Status == "active")).All().Select(u => u.Name));
        Assert.Equal(3, User.Where(u => 30 <= u.Age).Count());
    }

    [Fact]
    public void Where_AnonymousObject_MatchesColumnsByNameAndNullAsIsNull()
    {
        using var db = WithPeople(out _);
        Assert.Equal(3, User.Where(new { status = "active" }).Count());
        Assert.Equal(["Bo", "Di"], User.Where(new { Status = "active", email_address = (string?)null }).OrderBy(u => u.Name).All().Select(u => u.Name));
        var error = Assert.Throws<ArgumentException>(() => User.Where(new { statuz = "active" }).All());
        Assert.Contains("no column 'statuz'", error.Message);
    }

    [Fact]
    public void Where_RawFragment_TakesParameters()
    {
        using var db = WithPeople(out _);
        Assert.Equal(["Bo", "Di"], User.Where("age > @min AND status = @status", new { min = 30, status = "active" }).OrderBy(u => u.Name).All().Select(u => u.Name));
        Assert.Equal(2, User.Where(u => u.Status == "active").Where("age >= @a", new { a = 35 }).Count());
    }

    [Fact]
    public void OrderBy_Limit_Offset_First_Exists()
    {
        using var db = WithPeople(out _);
        Assert.Equal(["Bo", "Di"], User.OrderByDescending(u => u.Age).Limit(2).All().Select(u => u.Name));
        Assert.Equal(["Bo", "Cy"], User.OrderBy(u => u.Name).Offset(1).Limit(2).All().Select(u => u.Name));
        Assert.Equal(["Cy", "Di"], User.OrderBy(u => u.Name).Offset(2).All().Select(u => u.Name));
        Assert.Equal(["Di", "Ann", "Bo"], User.Where(u => u.Status == "active").OrderBy(u => u.Status).OrderByDescending(u => u.Name).All().Select(u => u.Name).Take(1).Concat(["Ann", "Bo"]));
        Assert.Equal("Cy", User.OrderBy(u => u.Age).First().Name);
        Assert.Equal("Bo", User.Where(u => u.Age > 40).FirstOrDefault()!.Name);
        Assert.Null(User.Where(u => u.Age > 90).FirstOrDefault());
        Assert.Throws<RecordNotFoundException>(() => User.Where(u => u.Age > 90).First());
        Assert.True(User.Where(u => u.Name == "Ann").Exists());
        Assert.False(User.Where(u => u.Name == "Zed").Exists());
        Assert.Equal(2, User.OrderBy(u => u.Id).Limit(2).Count());
        Assert.Equal(["Ann", "Bo"], User.OrderBy("Name").Limit(2).All().Select(u => u.Name));
        Assert.Equal(["Cy"], User.OrderBy("age", descending: false).Limit(1).All().Select(u => u.Name));
    }

    [Fact]
    public void Save_InsertsAndReadsBackTheGeneratedKey()
    {
        using var db = WithPeople(out var connection);
        var user = new User { Name = "Eve", Status = "new", Age = 19 };
        user.Save();
        Assert.Equal(5, user.Id);
        Assert.Equal("Eve", connection.Scalar<string>("SELECT name FROM users WHERE id = 5"));
    }

    [Fact]
    public void Save_UpdatesOnlyTheChangedColumns()
    {
        using var db = new TestDatabase();
        var connection = db.Registry.Configure("primary", new ConnectionConfig { Driver = "sqlite", Database = db.File("p.db"), Echo = true }).WithUsers();
        connection.Execute("INSERT INTO users (name, status, age) VALUES ('Ann', 'active', 30)");
        var ann = User.Find(1);

        // Another writer changes the status meanwhile: saving the name must not overwrite it.
        connection.Execute("UPDATE users SET status = 'banned' WHERE id = 1");
        ann.Name = "Anne";
        ann.Save();

        var update = Assert.Single(db.Logs.Category("Switchboard.Sql"), e => e.Message.Contains("UPDATE \"users\"", StringComparison.Ordinal));
        // naming: auto writes the names the table uses (users.name), not the properties' (Name).
        Assert.Contains("SET \"name\" = @p1 WHERE \"id\" = @key", update.Message);
        Assert.Equal(("Anne", "banned"), (connection.Scalar<string>("SELECT name FROM users"), connection.Scalar<string>("SELECT status FROM users")));

        ann.Save();
        Assert.Single(db.Logs.Category("Switchboard.Sql"), e => e.Message.Contains("UPDATE \"users\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Save_OfARowDeletedMeanwhile_ThrowsRecordNotFound()
    {
        using var db = WithPeople(out var connection);
        var ann = User.Find(1);
        connection.Execute("DELETE FROM users WHERE id = 1");
        ann.Name = "x";
        Assert.Throws<RecordNotFoundException>(() => ann.Save());
    }

    [Fact]
    public void Delete_RemovesTheRowAndMakesTheRecordNewAgain()
    {
        using var db = WithPeople(out var connection);
        var bo = User.Find(2);
        Assert.True(bo.Delete());
        Assert.False(bo.Delete());
        Assert.Equal(3L, connection.Scalar<long>("SELECT COUNT(*) FROM users"));
        bo.Save();
        Assert.Equal(4L, connection.Scalar<long>("SELECT COUNT(*) FROM users"));
    }

    [Fact]
    public void Reload_DiscardsUnsavedChanges_AndThrowsWhenTheRowIsGone()
    {
        using var db = WithPeople(out var connection);
        var cy = User.Find(3);
        cy.Name = "changed";
        connection.Execute("UPDATE users SET age = 23 WHERE id = 3");
        cy.Reload();
        Assert.Equal(("Cy", 23), (cy.Name, cy.Age));
        connection.Execute("DELETE FROM users WHERE id = 3");
        Assert.Throws<RecordNotFoundException>(() => cy.Reload());
    }

    [Fact]
    public async Task AsyncTwins_WorkEndToEnd()
    {
        using var db = WithPeople(out _);
        var token = TestContext.Current.CancellationToken;
        var user = new User { Name = "Async", Status = "x" };
        await user.SaveAsync(token);
        var found = await User.FindAsync(user.Id, token);
        found.Age = 50;
        await found.SaveAsync(token);
        await found.ReloadAsync(token);
        Assert.Equal(50, found.Age);
        Assert.Equal(5, (await User.AllAsync(token)).Count);
        Assert.Equal(5, await User.CountAsync(token));
        Assert.True(await User.ExistsAsync(token));
        Assert.NotNull(await User.FirstOrDefaultAsync(token));
        Assert.Null(await User.FindOrDefaultAsync(1000, token));
        Assert.Equal("Ann", (await User.Where(u => u.Age == 30).FirstAsync(token)).Name);
        Assert.True(await found.DeleteAsync(token));
    }

    [Fact]
    public void Record_RemembersTheConnectionItWasLoadedFromAndSavesBackThere()
    {
        using var db = new TestDatabase();
        var primary = db.Sqlite("primary").WithUsers();
        var archive = db.Sqlite("archive").WithUsers();
        archive.Execute("INSERT INTO users (name, status) VALUES ('archived', 'old')");

        var fromArchive = User.Using("archive").Find(1);
        fromArchive.Status = "restored";
        fromArchive.Save();

        Assert.Equal("restored", archive.Scalar<string>("SELECT status FROM users WHERE id = 1"));
        Assert.Equal(0L, primary.Scalar<long>("SELECT COUNT(*) FROM users"));
    }

    [Fact]
    public void Conventions_TypeIdKeyAndNotMappedAndDatabaseGeneratedNone()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary");
        connection.Execute("CREATE TABLE Invoice (InvoiceId INTEGER PRIMARY KEY, Total NUMERIC(10,2) NOT NULL)");
        connection.Execute("CREATE TABLE tags (code TEXT PRIMARY KEY, label TEXT)");

        var invoice = new Invoice { Total = 12.5m, Scratch = "not stored" };
        invoice.Save();
        Assert.Equal(1, invoice.InvoiceId);
        Assert.Equal(12.5m, Invoice.Find(1).Total);
        Assert.Null(Invoice.Find(1).Scratch);

        new Tag { Code = "red", Label = "Red" }.Save();
        var tag = Tag.Find("red");
        tag.Label = "Crimson";
        tag.Save();
        Assert.Equal("Crimson", Tag.Find("red").Label);
    }

    [Fact]
    public void UnmappableProperty_IsAClearErrorNamingTheFix()
    {
        using var db = new TestDatabase();
        db.Sqlite("primary");
        var error = Assert.Throws<ConfigurationException>(() => Unmappable.All());
        Assert.Contains("Unmappable", error.Message);
        Assert.Contains("Children", error.Message);
        Assert.Contains("[NotMapped]", error.Message);
    }

    [Fact]
    public void NullInAColumnOfANonNullableProperty_ReadsAsTheDefault()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary");
        connection.Execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, status TEXT, email_address TEXT, age INTEGER)");
        connection.Execute("INSERT INTO users (id, name, status, age) VALUES (1, 'a', 'b', 40), (2, 'c', 'd', NULL)");
        Assert.Equal([40, 0], User.OrderBy(u => u.Id).All().Select(u => u.Age));
        Assert.Equal(0, User.Find(2).Age);
    }

    [Fact]
    public void ChangingTheKeyOfALoadedRecord_IsRefused()
    {
        using var db = WithPeople(out _);
        var ann = User.Find(1);
        ann.Id = 77;
        Assert.Throws<InvalidOperationException>(() => ann.Save());
    }

    [Fact]
    public void ColumnTypeMismatch_NamesTheColumnAndTheFix()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary");
        connection.Execute("CREATE TABLE tags (code TEXT PRIMARY KEY, label TEXT)");
        connection.Execute("INSERT INTO tags VALUES ('a', 'not a number')");
        var error = Assert.Throws<SwitchboardException>(() => NumericTag.All());
        Assert.IsType<InvalidCastException>(error.InnerException);
        Assert.Equal("primary", error.ConnectionName);
        Assert.Contains("'label'", error.Message);
        Assert.Contains("Change the property's type", error.Message);
    }

    [Table("Invoice")]
    public class Invoice : ActiveRecord<Invoice>
    {
        public long InvoiceId { get; set; }

        public decimal Total { get; set; }

        [NotMapped]
        public string? Scratch { get; set; }
    }

    [Table("tags")]
    public class Tag : ActiveRecord<Tag>
    {
        [Key]
        [DatabaseGenerated(DatabaseGeneratedOption.None)]
        [Column("code")]
        public string Code { get; set; } = "";

        [Column("label")]
        public string? Label { get; set; }
    }

    [Table("tags")]
    public class NumericTag : ActiveRecord<NumericTag>
    {
        [Key]
        [Column("code")]
        public string Code { get; set; } = "";

        [Column("label")]
        public DateTime Label { get; set; }
    }

    public class Unmappable : ActiveRecord<Unmappable>
    {
        public long Id { get; set; }

        public List<string> Children { get; set; } = [];
    }
}
