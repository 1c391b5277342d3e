using Switchboard.Dialects;
using Switchboard.MySql;
using Switchboard.Oracle;
using Switchboard.Sqlite;
using Switchboard.SqlServer;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Querying;

/// <summary>
/// The SQL that Where expressions become on the engines without a live server here (SQL Server, Oracle): NULL-aware !=,
/// two-valued conditions under NOT, ordinal text matches, Length and IN. The live engines run the same shapes in the conformance suite.
/// </summary>
// These predicates are translated to SQL, never run in .NET: the culture and comparison analyzers do not apply.
#pragma warning disable CA1304, CA1311, CA1862, CA1847, CA1866
public sealed class TranslationGoldenTests : IDisposable
{
    private readonly ConnectionRegistry _registry = new ConnectionRegistry().AddOracle(new FakeProviderFactory());
    private readonly IDisposable _activation;

    public TranslationGoldenTests()
    {
        _activation = _registry.Activate();
        _registry.Configure("mssql", new Dictionary<string, object?> { ["driver"] = "sqlserver", ["host"] = "localhost", ["database"] = "Sales", ["username"] = "app", ["naming"] = "as_declared" });
        _registry.Configure("ora", new Dictionary<string, object?> { ["driver"] = "oracle", ["host"] = "ora.internal", ["username"] = "app", ["service_name"] = "ORCLPDB1", ["naming"] = "as_declared" });
    }

    [Fact]
    public void NotEqual_OnANullableColumn_KeepsItsNullRows()
    {
        Assert.EndsWith("WHERE ([email_address] <> @sb_w0 OR [email_address] IS NULL)", Sql("mssql", u => u.Email != "a"), StringComparison.Ordinal);
        Assert.EndsWith("WHERE (\"email_address\" <> :sb_w0 OR \"email_address\" IS NULL)", Sql("ora", u => u.Email != "a"), StringComparison.Ordinal);
        Assert.EndsWith("WHERE [Age] <> @sb_w0", Sql("mssql", u => u.Age != 3), StringComparison.Ordinal);
    }

    [Fact]
    public void Not_MakesEveryNullableComparisonTwoValued()
    {
        Assert.EndsWith("WHERE NOT (([email_address] = @sb_w0 AND [email_address] IS NOT NULL))", Sql("mssql", u => !(u.Email == "a")), StringComparison.Ordinal);
        Assert.EndsWith("WHERE NOT ([Age] = @sb_w0)", Sql("mssql", u => !(u.Age == 3)), StringComparison.Ordinal);
        Assert.EndsWith(
            "WHERE ((\"email_address\" = \"Name\" AND \"email_address\" IS NOT NULL AND \"Name\" IS NOT NULL) OR (\"email_address\" IS NULL AND \"Name\" IS NULL))",
            Sql("ora", u => u.Email == u.Name),
            StringComparison.Ordinal);
    }

    [Fact]
    public void TextMatches_AreOrdinal_OnSqlServerByABinaryCollation_AndOnOracleByItsCaseSensitiveLike()
    {
        Assert.EndsWith("WHERE [Name] COLLATE Latin1_General_BIN2 LIKE @sb_w0 ESCAPE '\\'", Sql("mssql", u => u.Name.Contains("a%[")), StringComparison.Ordinal);
        Assert.EndsWith("WHERE LOWER([Name]) COLLATE Latin1_General_BIN2 LIKE @sb_w0 ESCAPE '\\'", Sql("mssql", u => u.Name.StartsWith("Ab", StringComparison.OrdinalIgnoreCase)), StringComparison.Ordinal);
        Assert.EndsWith("WHERE UPPER([Name]) COLLATE Latin1_General_BIN2 LIKE @sb_w0 ESCAPE '\\'", Sql("mssql", u => u.Name.ToUpper().EndsWith("XY")), StringComparison.Ordinal);
        Assert.EndsWith("WHERE \"Name\" LIKE :sb_w0 ESCAPE '\\'", Sql("ora", u => u.Name.Contains("ab")), StringComparison.Ordinal);
        Assert.EndsWith("WHERE \"Name\" IS NOT NULL", Sql("ora", u => u.Name.Contains("")), StringComparison.Ordinal);
    }

    [Fact]
    public void TextMatchPatterns_EscapeWhatEachEngineReadsSpecially()
    {
        Assert.Equal(("[Name] COLLATE Latin1_General_BIN2 LIKE @p ESCAPE '\\'", "%a\\%\\[\\_%"), Match(new SqlServerDialect(), TextMatch.Contains, "a%[_"));
        Assert.Equal(("`Name` LIKE @p COLLATE utf8mb4_bin ESCAPE '!'", "50!%%"), Match(new MySqlDialect(), TextMatch.StartsWith, "50%"));
        Assert.Equal(("\"Name\" GLOB @p", "*a[*]b[?][[]]%_"), Match(new SqliteDialect(), TextMatch.EndsWith, "a*b?[]%_"));
        Assert.Equal(("\"Name\" LIKE @p ESCAPE '\\'", "%\\%%"), Match(new OracleDialect(), TextMatch.Contains, "%"));
    }

    [Fact]
    public void Length_CountsCharacters_OnEachEngine()
    {
        Assert.EndsWith("WHERE (LEN([Name] + N'x') - 1) > @sb_w0", Sql("mssql", u => u.Name.Length > 3), StringComparison.Ordinal);
        Assert.EndsWith("WHERE LENGTH(\"Name\") > :sb_w0", Sql("ora", u => u.Name.Length > 3), StringComparison.Ordinal);
        Assert.Equal("CHAR_LENGTH(`Name`)", new MySqlDialect().TextLength("`Name`"));
    }

    [Fact]
    public void In_ExpandsAnyCollection_AndMatchesNullWhenTheListHoldsOne()
    {
        var ages = new HashSet<int> { 1, 2 };
        var emails = new List<string?> { null, "a" };

        Assert.EndsWith("WHERE [Age] IN (@sb_w0, @sb_w1)", Sql("mssql", u => ages.Contains(u.Age)), StringComparison.Ordinal);
        Assert.EndsWith("WHERE ([email_address] IN (@sb_w0) OR [email_address] IS NULL)", Sql("mssql", u => emails.Contains(u.Email)), StringComparison.Ordinal);
        Assert.EndsWith("WHERE NOT ((\"email_address\" IN (:sb_w0) AND \"email_address\" IS NOT NULL))", Sql("ora", u => !new[] { "a" }.Contains(u.Email)), StringComparison.Ordinal);
    }

    [Fact]
    public void GeneratedParameterNames_AvoidEveryNameTheCallerWrote()
    {
        var sql = User.Using("mssql").Where("[Age] > @sb_w0 OR [Age] < @SB1_W", new { sb_w0 = 1, SB1_W = 2 }).Where(u => u.Status == "a").ToSql();

        Assert.EndsWith("WHERE ([Age] > @sb_w0 OR [Age] < @SB1_W) AND [Status] = @sb2_w2", sql, StringComparison.Ordinal);
        Assert.EndsWith("WHERE [Status] = @sb_w0", Sql("mssql", u => u.Status == "a"), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _activation.Dispose();
        _registry.DisposeAll();
    }

    private static string Sql(string connection, System.Linq.Expressions.Expression<Func<User, bool>> predicate) => User.Using(connection).Where(predicate).ToSql();

    private static (string Sql, object? Pattern) Match(SqlDialect dialect, TextMatch match, string text) =>
        (dialect.OrdinalTextMatch(match, dialect.QuoteIdentifier("Name"), "@p"), dialect.OrdinalTextPattern(match, text));
}
