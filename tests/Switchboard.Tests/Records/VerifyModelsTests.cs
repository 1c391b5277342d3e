using System.ComponentModel.DataAnnotations.Schema;
using Switchboard.Tests.Guide;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Records;

/// <summary>VerifyModels as a startup and schema-drift check on SQLite: errors for what would fail, warnings for visible mismatches.</summary>
public class VerifyModelsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FittingModel_HasNoProblems(bool isAsync)
    {
        using var db = new TestDatabase();
        db.Sqlite("primary").Execute("CREATE TABLE contact (id INTEGER PRIMARY KEY, full_name TEXT NOT NULL, age INTEGER NOT NULL, nickname TEXT)");

        var report = isAsync
            ? await db.Registry.VerifyModelsAsync("primary", [typeof(Contact)], TestContext.Current.CancellationToken)
            : db.Registry.VerifyModels("primary", typeof(Contact));

        Assert.Empty(report.Problems);
        Assert.False(report.HasErrors);
    }

    [Fact]
    public void Drift_IsReportedAsErrorsAndWarnings_PerProperty()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary");
        connection.Execute("CREATE TABLE contact (id INTEGER PRIMARY KEY, full_name INTEGER NOT NULL, age INTEGER, nick_name TEXT, nickname TEXT)");

        var report = db.Registry.VerifyModels("primary", typeof(Contact), typeof(Missing));

        Assert.True(report.HasErrors);
        var byProperty = report.Problems.ToDictionary(p => (p.Model, p.Property));
        Assert.False(byProperty[(typeof(Contact), "FullName")].IsError);
        Assert.Contains("String", byProperty[(typeof(Contact), "FullName")].Message, StringComparison.Ordinal);
        Assert.False(byProperty[(typeof(Contact), "Age")].IsError);
        Assert.Contains("nullable", byProperty[(typeof(Contact), "Age")].Message, StringComparison.Ordinal);
        Assert.True(byProperty[(typeof(Contact), "Nickname")].IsError);
        Assert.Contains("nick_name and nickname", byProperty[(typeof(Contact), "Nickname")].Message, StringComparison.Ordinal);
        var missing = byProperty[(typeof(Missing), null)];
        Assert.True(missing.IsError);
        Assert.Equal("primary", missing.Connection);
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        Assert.Equal(4, report.Problems.Count);
        Assert.Contains("error: Missing on 'primary'", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void UnderAsDeclared_ANameDifferingOnlyInCase_IsAWarning_AndAMissingOneAnError()
    {
        using var db = new TestDatabase();
        var connection = db.Registry.Configure("primary", new Dictionary<string, object?> { ["driver"] = "sqlite", ["database"] = db.File("p.db"), ["naming"] = "as_declared" });
        connection.Execute("CREATE TABLE contact (ID INTEGER PRIMARY KEY, fullname TEXT NOT NULL, Age INTEGER NOT NULL, Nickname TEXT)");

        var report = db.Registry.VerifyModels("primary", typeof(Contact));

        Assert.Contains(report.Problems, p => p is { Property: "Id", IsError: false });
        Assert.Contains(report.Problems, p => p is { Property: "FullName", IsError: false });
        Assert.DoesNotContain(report.Problems, p => p.Property is "Age" or "Nickname");
    }

    [Fact]
    public void DecimalOnANumericColumn_IsAnError()
    {
        using var db = new TestDatabase();
        db.Sqlite("primary").Execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount NUMERIC NOT NULL)");

        var problem = Assert.Single(db.Registry.VerifyModels("primary", typeof(SqliteDecimalColumnTests.Ledger)).Problems);

        Assert.True(problem.IsError);
        Assert.Equal("Amount", problem.Property);
    }

    [Fact]
    public void ATypeThatIsNotAModel_IsRejectedNamingIt()
    {
        using var db = new TestDatabase();
        db.Sqlite("primary");

        var error = Assert.Throws<ArgumentException>(() => db.Registry.VerifyModels("primary", typeof(string)));

        Assert.Equal("modelTypes", error.ParamName);
        Assert.Contains("System.String", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownConnection_IsAConfigurationError()
    {
        using var db = new TestDatabase();

        Assert.Throws<ConfigurationException>(() => db.Registry.VerifyModels("nowhere", typeof(Contact)));
    }

    [Fact]
    public void DriverWithoutCatalog_IsAWarning()
    {
        using var db = new TestDatabase();
        db.Registry.RegisterDriver(new FakeDriver());
        db.Registry.Configure("primary", new ConnectionConfig { Driver = "fake", Database = "x" });

        var problem = Assert.Single(db.Registry.VerifyModels("primary", typeof(Contact)).Problems);

        Assert.False(problem.IsError);
        Assert.Contains("no catalog", problem.Message, StringComparison.Ordinal);
    }

    [Table("contact")]
    public class Contact : ActiveRecord<Contact>
    {
        public long Id { get; set; }

        public string FullName { get; set; } = "";

        public int Age { get; set; }

        public string? Nickname { get; set; }
    }

    public class Missing : ActiveRecord<Missing>
    {
        public long Id { get; set; }
    }
}

/// <summary>The static facade's VerifyModels goes to the default registry (one process-wide registry: these run one at a time).</summary>
[Collection(nameof(ConnectionManagerCollection))]
public class ConnectionManagerVerifyModelsTests
{
    [Fact]
    public void StaticFacade_VerifiesOnTheDefaultRegistry()
    {
        using var db = new TestDatabase();
        db.Sqlite("primary").Execute("CREATE TABLE contact (id INTEGER PRIMARY KEY, full_name TEXT NOT NULL, age INTEGER NOT NULL, nickname TEXT)");
        using var handle = ConnectionRegistry.SetDefault(db.Registry);

        Assert.Single(ConnectionManager.VerifyModels("primary", typeof(VerifyModelsTests.Missing)).Problems);
        Assert.Empty(ConnectionManager.VerifyModels("primary", typeof(VerifyModelsTests.Contact)).Problems);
    }
}
