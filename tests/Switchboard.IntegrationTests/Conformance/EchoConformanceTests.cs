using Switchboard.IntegrationTests.Conformance.Models;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>
/// Echo and password redaction on every engine, servers included: a statement is logged without its parameter values
/// unless <c>echo_parameters</c> is on, and the password appears in no log entry, configuration text or error message.
/// </summary>
public abstract class EchoConformanceTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    private const string Secret = "echo-secret-7f3a";

    [Fact]
    public async Task Echo_LogsTheStatementButNotItsValues_UnlessEchoParametersIsOn()
    {
        var insert = $"INSERT INTO {Q("gadgets")} ({Q("name")}, {Q("status")}) VALUES ({P("name")}, {P("status")})";
        var mark = LogMark();
        Primary.Execute(insert, new { name = Secret, status = "hidden" });
        await Primary.ExecuteAsync(insert, new { name = Secret, status = "hidden" }, Cancel);

        var hidden = StatementsSince(mark).Where(m => m.Contains(insert, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, hidden.Count);
        Assert.All(hidden, m => Assert.StartsWith($"[{Primary.Name}] (", m, StringComparison.Ordinal));
        Assert.All(hidden, m => Assert.DoesNotContain(Secret, m, StringComparison.Ordinal));
        Assert.All(hidden, m => Assert.DoesNotContain("hidden", m, StringComparison.Ordinal));

        var shown = Fixture.Another("echo_values", c => c.EchoParameters = true);
        mark = LogMark();
        await shown.ExecuteAsync(insert, new { name = Secret, status = "shown" }, Cancel);
        Assert.Contains(StatementsSince(mark), m => m.StartsWith("[echo_values] (", StringComparison.Ordinal) && m.Contains(Secret, StringComparison.Ordinal));
        Assert.Equal(3, Gadget.Where(g => g.Name == Secret).Count());
    }

    [Fact]
    public void Echo_OfAFailedStatement_SaysSo_WithoutItsValues()
    {
        var mark = LogMark();
        var failing = $"SELECT {Q("name")} FROM {Q("no_such_table")} WHERE {Q("name")} = {P("name")}";

        var error = Assert.ThrowsAny<SwitchboardException>(() => Primary.Execute(failing, new { name = Secret }));

        Assert.Contains(StatementsSince(mark), m => m.Contains("FAILED " + failing, StringComparison.Ordinal));
        Assert.DoesNotContain(StatementsSince(mark), m => m.Contains(Secret, StringComparison.Ordinal));
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Password_AppearsInNoLogEntry_ConfigurationText_OrMessage_EvenForAWrongOne()
    {
        if (!Engine.IsServer)
        {
            Assert.Skip("SQLite has no password.");
        }

        var password = Engine.Server().Password;
        Assert.False(string.IsNullOrEmpty(password), "the test server's URL carries a password, so that its absence from the text below means something");
        var wrongPassword = "wrong-pw-" + Fixture.RunId;
        var wrong = Fixture.Another("wrong_password", c => c.Password = wrongPassword);

        Primary.Execute($"SELECT COUNT(*) FROM {Q("gadgets")}");
        var error = Assert.ThrowsAny<ConnectionException>(() => wrong.Execute("SELECT 1"));

        var texts = new List<string> { error.Message, Primary.ToString(), Primary.Config.ToString(), wrong.ToString(), wrong.Config.ToString() };
        texts.AddRange(Fixture.Logs.Entries.Select(e => e.Message));
        Assert.All(texts, t => Assert.DoesNotContain(password!, t, StringComparison.Ordinal));
        Assert.All(texts, t => Assert.DoesNotContain(wrongPassword, t, StringComparison.Ordinal));
        Assert.False(error.IsTransient, "a refused password does not come right by retrying");
    }
}

// One line per engine, as in the engines' own files.

public sealed class SqliteEchoConformanceTests(Sqlite.SqliteFixture fixture) : EchoConformanceTests<Sqlite.SqliteFixture>(fixture);

public sealed class PostgreSqlEchoConformanceTests(PostgreSql.PostgreSqlFixture fixture) : EchoConformanceTests<PostgreSql.PostgreSqlFixture>(fixture);

public sealed class MariaDbEchoConformanceTests(MariaDb.MariaDbFixture fixture) : EchoConformanceTests<MariaDb.MariaDbFixture>(fixture);

public sealed class SqlServerEchoConformanceTests(SqlServer.SqlServerFixture fixture) : EchoConformanceTests<SqlServer.SqlServerFixture>(fixture);

public sealed class OracleEchoConformanceTests(Oracle.OracleFixture fixture) : EchoConformanceTests<Oracle.OracleFixture>(fixture);
