using Switchboard.Tests.Support;

namespace Switchboard.Tests.Diagnostics;

/// <summary>docs/RELIABILITY.md item 27: echo goes through ILogger (Switchboard.Sql) or standard error, per connection, values hidden unless enabled.</summary>
[Collection(nameof(StandardErrorCollection))]
public class EchoTests
{
    [Fact]
    public void Echo_LogsStatementDurationAndConnectionName_OnlyForTheConnectionThatAsked()
    {
        using var db = new TestDatabase();
        var a = db.Sqlite("a", echo: true);
        var b = db.Sqlite("b", echo: false);
        a.Execute("CREATE TABLE t (secret TEXT)");
        b.Execute("CREATE TABLE quiet (x INTEGER)");
        a.Execute("INSERT INTO t VALUES (@secret)", new { secret = "s3cr3t-value" });

        var logged = db.Logs.Category("Switchboard.Sql").ToList();
        Assert.Equal(2, logged.Count);
        Assert.All(logged, e => Assert.StartsWith("[a] (", e.Message, StringComparison.Ordinal));
        Assert.All(logged, e => Assert.Matches(@"\(\d+(\.\d+)? ms\)", e.Message));
        Assert.Contains("INSERT INTO t VALUES (@secret)", logged[1].Message);
        Assert.DoesNotContain("s3cr3t-value", logged[1].Message);
        Assert.DoesNotContain(db.Logs.Entries, e => e.Message.Contains("quiet", StringComparison.Ordinal));
    }

    [Fact]
    public void EchoParameters_ShowsValuesOnlyWhenEnabled()
    {
        using var db = new TestDatabase();
        var connection = db.Registry.Configure("a", new Dictionary<string, object?>
        {
            ["driver"] = "sqlite",
            ["database"] = db.File("a.db"),
            ["echo"] = true,
            ["echo_parameters"] = true,
        });
        connection.Execute("SELECT @v", new { v = "visible-value" });
        Assert.Contains(db.Logs.Category("Switchboard.Sql"), e => e.Message.Contains("v='visible-value'", StringComparison.Ordinal));
    }

    [Fact]
    public void Echo_WithoutALoggerFactory_WritesToStandardError()
    {
        var original = Console.Error;
        using var captured = new StringWriter();
        var registry = new ConnectionRegistry();
        var folder = Directory.CreateTempSubdirectory("switchboard-echo");
        try
        {
            Console.SetError(captured);
            var connection = registry.Configure("stderr", new ConnectionConfig { Driver = "sqlite", Database = Path.Combine(folder.FullName, "e.db"), Echo = true });
            connection.Execute("SELECT @hidden", new { hidden = "never-shown" });
        }
        finally
        {
            Console.SetError(original);
            registry.DisposeAll();
            folder.Delete(recursive: true);
        }

        var text = captured.ToString();
        Assert.Contains("[switchboard] [stderr] (", text);
        Assert.Contains("SELECT @hidden", text);
        Assert.DoesNotContain("never-shown", text);
    }

    [Fact]
    public void Echo_OfAFailedStatement_SaysSo()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("a", echo: true);
        Assert.Throws<StatementException>(() => connection.Execute("SELECT * FROM missing"));
        Assert.Contains(db.Logs.Category("Switchboard.Sql"), e => e.Message.Contains("FAILED SELECT * FROM missing", StringComparison.Ordinal));
    }
}

/// <summary>Tests that replace Console.Error run one at a time.</summary>
[CollectionDefinition(nameof(StandardErrorCollection), DisableParallelization = true)]
public sealed class StandardErrorCollection;
