using System.ComponentModel.DataAnnotations.Schema;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Querying;

/// <summary>
/// A Where query's SQL is written once per expression shape and mapping and reused with new captured values: each test
/// runs one lambda (one call site, so one shape) with values that must not reuse the SQL written for earlier ones.
/// </summary>
// These predicates are translated to SQL, never run in .NET: the culture and comparison analyzers do not apply.
#pragma warning disable CA1304, CA1311, CA1862, CA1847, CA1866, CA1865
public sealed class QueryShapeCacheTests : IDisposable
{
    private readonly TestDatabase _db = new();
    private readonly Connection _primary;

    public QueryShapeCacheTests()
    {
        _primary = _db.Sqlite("primary");
        CreateUsers(_primary, ("ann", "a@x", 30), ("bo", null, 40), ("cy", "c@x", 50), ("di", null, 60));
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public void CapturedNull_AfterAValue_IsComparedAsIsNull_NotBoundToTheEqualsParameter()
    {
        static List<string> ByEmail(string? email) => [.. User.Where(u => u.Email == email).OrderBy(u => u.Id).All().Select(u => u.Name)];

        Assert.Equal(["ann"], ByEmail("a@x"));
        Assert.Equal(["bo", "di"], ByEmail(null));
        Assert.Equal(["cy"], ByEmail("c@x"));
        Assert.Equal(["bo", "di"], ByEmail(null));
    }

    [Fact]
    public void CapturedNull_FirstThenAValue_AndNotEqual_BothWays()
    {
        static List<string> NotEmail(string? email) => [.. User.Where(u => u.Email != email).OrderBy(u => u.Id).All().Select(u => u.Name)];

        Assert.Equal(["ann", "cy"], NotEmail(null));
        Assert.Equal(["bo", "cy", "di"], NotEmail("a@x"));
        Assert.Equal(["ann", "cy"], NotEmail(null));
    }

    [Fact]
    public void InLists_OfChangingLength_AndWithANull_EachGetTheirOwnSql()
    {
        static List<string> ByIds(long[] ids) => [.. User.Where(u => ids.Contains(u.Id)).OrderBy(u => u.Id).All().Select(u => u.Name)];
        static List<string> ByEmails(List<string?> emails) => [.. User.Where(u => emails.Contains(u.Email)).OrderBy(u => u.Id).All().Select(u => u.Name)];

        Assert.Equal(["ann"], ByIds([1]));
        Assert.Equal(["ann", "bo", "cy"], ByIds([1, 2, 3]));
        Assert.Empty(ByIds([]));
        Assert.Equal(["di"], ByIds([4]));
        Assert.Equal(["ann", "di"], ByIds([4, 1]));

        Assert.Equal(["ann"], ByEmails(["a@x"]));
        Assert.Equal(["ann", "bo", "di"], ByEmails(["a@x", null]));
        Assert.Equal(["bo", "di"], ByEmails([null]));
        Assert.Equal(["cy"], ByEmails(["c@x"]));
    }

    /// <summary>
    /// A collection type the table does not list is found through its interface map: its Contains implements
    /// <c>ICollection&lt;T&gt;.Contains</c>, so it is an IN list too (ImmutableArray, and a collection of the caller's own).
    /// </summary>
    [Fact]
    public void InLists_OfAnyICollection_AreFoundThroughTheInterfaceMap()
    {
        static List<string> ByImmutable(System.Collections.Immutable.ImmutableArray<long> ids) => [.. User.Where(u => ids.Contains(u.Id)).OrderBy(u => u.Id).All().Select(u => u.Name)];
        static List<string> ByOwn(OwnCollection ids) => [.. User.Where(u => ids.Contains(u.Id)).OrderBy(u => u.Id).All().Select(u => u.Name)];

        Assert.Equal(["ann", "cy"], ByImmutable([1, 3]));
        Assert.Equal(["di"], ByImmutable([4]));
        Assert.Empty(ByImmutable([]));
        Assert.Equal(["bo", "cy"], ByOwn([2, 3]));
        Assert.Equal(["ann"], ByOwn([1]));
    }

    /// <summary>A caller's own collection, reached by nothing but its <c>ICollection&lt;long&gt;</c> implementation.</summary>
    private sealed class OwnCollection : ICollection<long>
    {
        private readonly List<long> _items = [];

        public int Count => _items.Count;

        public bool IsReadOnly => false;

        public void Add(long item) => _items.Add(item);

        public void Clear() => _items.Clear();

        public bool Contains(long item) => _items.Contains(item);

        public void CopyTo(long[] array, int arrayIndex) => _items.CopyTo(array, arrayIndex);

        public bool Remove(long item) => _items.Remove(item);

        public IEnumerator<long> GetEnumerator() => _items.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public void TextSearches_RecomputeTheirPattern_AndAnEmptyTextOrAnotherComparisonGetsItsOwnSql()
    {
        static List<string> Containing(string text, StringComparison comparison) =>
            [.. User.Where(u => u.Name.Contains(text, comparison)).OrderBy(u => u.Id).All().Select(u => u.Name)];

        Assert.Equal(["ann"], Containing("n", StringComparison.Ordinal));
        Assert.Equal(["di"], Containing("i", StringComparison.Ordinal));
        Assert.Equal(["ann", "bo", "cy", "di"], Containing("", StringComparison.Ordinal));
        Assert.Empty(Containing("AN", StringComparison.Ordinal));
        Assert.Equal(["ann"], Containing("AN", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(["bo"], Containing("b", StringComparison.Ordinal));
    }

    [Fact]
    public void ACapturedBool_ThatDecidesTheCondition_IsNotReusedForTheOtherValue()
    {
        static long Count(bool everyone) => User.Where(u => everyone || u.Age > 45).Count();

        Assert.Equal(4, Count(everyone: true));
        Assert.Equal(2, Count(everyone: false));
        Assert.Equal(4, Count(everyone: true));
    }

    [Fact]
    public void LimitOffsetOrderAndCount_AreEachPartOfTheShape()
    {
        var minimum = 35;
        Assert.Equal(["bo"], User.Where(u => u.Age > minimum).OrderBy(u => u.Age).Limit(1).All().Select(u => u.Name));
        Assert.Equal(["bo", "cy"], User.Where(u => u.Age > minimum).OrderBy(u => u.Age).Limit(2).All().Select(u => u.Name));
        Assert.Equal(["di", "cy"], User.Where(u => u.Age > minimum).OrderByDescending(u => u.Age).Limit(2).All().Select(u => u.Name));
        Assert.Equal(["cy", "di"], User.Where(u => u.Age > minimum).OrderBy(u => u.Age).Limit(2).Offset(1).All().Select(u => u.Name));
        Assert.Equal(3, User.Where(u => u.Age > minimum).Count());
        Assert.Equal(2, User.Where(u => u.Age > minimum).Limit(2).Count());
        minimum = 55;
        Assert.Equal(["di"], User.Where(u => u.Age > minimum).OrderBy(u => u.Age).Limit(2).All().Select(u => u.Name));
    }

    [Fact]
    public void ACapturedValue_IsReadAgainOnEveryRun_FromFieldsPropertiesAndComputations()
    {
        var holder = new Holder { Age = 35 };
        var calls = 0;
        Func<int> next = () => calls++ == 0 ? 45 : 55;

        List<string> Run() => [.. User.Where(u => u.Age > holder.Age && u.Age > next() - 10).OrderBy(u => u.Id).All().Select(u => u.Name)];

        Assert.Equal(["bo", "cy", "di"], Run());
        holder.Age = 55;
        Assert.Equal(["di"], Run());
        Assert.Equal(2, calls);
    }

    [Fact]
    public void OneShape_RunTwice_SendsTheSameSqlInstance_SoTheCommandCacheFindsItByReference()
    {
        string Sql(int age) => User.Where(u => u.Age == age).ToSql();

        Assert.Same(Sql(1), Sql(2));
        Assert.Equal(1, _primary.Mappings.For<User>().QueryShapes.Count);
    }

    [Fact]
    public void TheSameShape_OnAnotherConnection_UsesThatConnectionsMapping()
    {
        var other = _db.Sqlite("other");
        other.Execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, status TEXT, email_address TEXT, age INTEGER)");
        other.Execute("INSERT INTO users (id, name, status, age) VALUES (1, 'zed', 's', 30)");

        List<string> Named(string connection, long id) => [.. User.Using(connection).Where(u => u.Id == id).All().Select(u => u.Name)];

        Assert.Equal(["ann"], Named("primary", 1));
        Assert.Equal(["zed"], Named("other", 1));
        Assert.Equal(["bo"], Named("primary", 2));
        Assert.Empty(Named("other", 2));
    }

    [Fact]
    public void TheSameShape_OnTwoEngines_IsWrittenInEachDialect()
    {
        using var registry = new ConnectionRegistry().AddOracle(new FakeProviderFactory());
        using var activation = registry.Activate();
        registry.Configure("mssql", new Dictionary<string, object?> { ["driver"] = "sqlserver", ["host"] = "localhost", ["database"] = "Sales", ["username"] = "app", ["naming"] = "as_declared" });
        registry.Configure("ora", new Dictionary<string, object?> { ["driver"] = "oracle", ["host"] = "ora.internal", ["username"] = "app", ["service_name"] = "ORCLPDB1", ["naming"] = "as_declared" });

        string Sql(string connection, string? email) => User.Using(connection).Where(u => u.Email == email && u.Name.StartsWith("a")).ToSql();

        Assert.EndsWith("WHERE ([email_address] = @sb_w0 AND [Name] COLLATE Latin1_General_BIN2 LIKE @sb_w1 ESCAPE '\\')", Sql("mssql", "x"), StringComparison.Ordinal);
        Assert.EndsWith("WHERE (\"email_address\" = :sb_w0 AND \"Name\" LIKE :sb_w1 ESCAPE '\\')", Sql("ora", "x"), StringComparison.Ordinal);
        Assert.EndsWith("WHERE ([email_address] IS NULL AND [Name] COLLATE Latin1_General_BIN2 LIKE @sb_w0 ESCAPE '\\')", Sql("mssql", null), StringComparison.Ordinal);
        Assert.EndsWith("WHERE (\"email_address\" IS NULL AND \"Name\" LIKE :sb_w0 ESCAPE '\\')", Sql("ora", null), StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameShape_OnAnotherModel_ReadsThatModelsTable()
    {
        _primary.Execute("CREATE TABLE pets (id INTEGER PRIMARY KEY, name TEXT)");
        _primary.Execute("INSERT INTO pets (id, name) VALUES (1, 'rex'), (2, 'tom')");
        var id = 2L;

        Assert.Equal("bo", User.Where(x => x.Id == id).First().Name);
        Assert.Equal("tom", ShapePet.Where(x => x.Id == id).First().Name);
    }

    [Fact]
    public void FindOnAFilteredQuery_ReusesOneShapeForEveryKey()
    {
        Assert.Equal("bo", User.Where(u => u.Age > 10).Find(2).Name);
        Assert.Equal("cy", User.Where(u => u.Age > 10).Find(3).Name);
        Assert.Null(User.Where(u => u.Age > 45).FindOrDefault(2));
        Assert.Equal(2, _primary.Mappings.For<User>().QueryShapes.Count);
    }

    [Fact]
    public void RawAndEqualityConditions_AreBuiltEachTime_AndStillRight()
    {
        var age = 40;
        Assert.Equal(["bo"], User.Where(u => u.Age == age).Where("name = @n", new { n = "bo" }).All().Select(u => u.Name));
        Assert.Empty(User.Where(u => u.Age == age).Where("name = @n", new { n = "ann" }).All());
        Assert.Equal(["bo"], User.Where(new { email_address = (string?)null }).Where(u => u.Age == age).All().Select(u => u.Name));
    }

    [Fact]
    public void ADialect_ExtendsTheMethodTable_SqliteTranslatesDateTimeYear()
    {
        _primary.Execute("CREATE TABLE events (id INTEGER PRIMARY KEY, at TEXT NOT NULL)");
        new ShapeEvent { At = new DateTime(2023, 12, 31, 23, 0, 0, DateTimeKind.Utc) }.Save();
        new ShapeEvent { At = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc) }.Save();
        var year = 2024;

        Assert.Contains("CAST(substr(\"at\", 1, 4) AS INTEGER) = @sb_w0", ShapeEvent.Where(e => e.At.Year == year).ToSql(), StringComparison.Ordinal);
        Assert.Equal([2024], ShapeEvent.Where(e => e.At.Year == year).All().Select(e => e.At.Year));
        year = 2023;
        Assert.Equal([2023], ShapeEvent.Where(e => e.At.Year == year).All().Select(e => e.At.Year));
        Assert.True(_primary.Dialect.Methods.Contains(typeof(DateTime).GetProperty(nameof(DateTime.Year))!.GetMethod!));
    }

    [Fact]
    public void TheMethodTable_FindsGenericMethodsByTheirDefinition_AndRefusesAdditionsOnceInUse()
    {
        var methods = _primary.Dialect.Methods;

        Assert.True(methods.Contains(typeof(List<Guid>).GetMethod(nameof(List<Guid>.Contains))!));
        Assert.True(methods.Contains(typeof(Enumerable).GetMethods().Single(m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2).MakeGenericMethod(typeof(int))));
        Assert.False(methods.Contains(typeof(string).GetMethod(nameof(string.PadLeft), [typeof(int)])!));
        var error = Assert.Throws<InvalidOperationException>(() => methods.Add(typeof(string).GetMethod(nameof(string.PadLeft), [typeof(int)])!, call => "x"));
        Assert.Contains("AddMethodTranslations", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMethodNotInTheTable_IsRefusedWithTheWayOut()
    {
        var error = Assert.Throws<NotSupportedException>(() => User.Where(u => u.Name.PadLeft(3) == "  a").All());
        Assert.Contains("Where(\"sql\", parameters)", error.Message, StringComparison.Ordinal);
    }

    private static void CreateUsers(Connection connection, params (string Name, string? Email, int Age)[] users)
    {
        connection.Execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, status TEXT, email_address TEXT, age INTEGER)");
        foreach (var (name, email, age) in users)
        {
            connection.Execute("INSERT INTO users (name, status, email_address, age) VALUES (@name, 's', @email, @age)", new { name, email, age });
        }
    }

    private sealed class Holder
    {
        public int Age { get; set; }
    }
}

[Connection("primary")]
[Table("pets")]
public class ShapePet : ActiveRecord<ShapePet>
{
    public long Id { get; set; }

    public string Name { get; set; } = "";
}

[Connection("primary")]
[Table("events")]
public class ShapeEvent : ActiveRecord<ShapeEvent>
{
    public long Id { get; set; }

    public DateTime At { get; set; }
}
