using Switchboard.IntegrationTests.Conformance.Models;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>
/// A failed statement keeps what the driver knows (issue 12 item 3): <see cref="StatementException.Kind"/>, the SQLSTATE,
/// the engine's error number and the constraint's name, as each live engine reports them; and no parameter value in its message.
/// </summary>
public abstract class StatementErrorTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    private const string Value = "sb-value-7731";

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    private bool IsSqlite => Engine.Driver == "sqlite";

    [Fact]
    public void DuplicateKey_IsAUniqueViolation_NamingTheConstraint_AndNotTheValue()
    {
        var connection = WithTables();
        connection.Execute($"INSERT INTO {Parent} (id, code, qty) VALUES (1, {P("code")}, 1)", new { code = Value });

        var error = Assert.Throws<StatementException>(() => connection.Execute($"INSERT INTO {Parent} (id, code, qty) VALUES (2, {P("code")}, 1)", new { code = Value }));

        Assert.Equal(StatementErrorKind.UniqueViolation, error.Kind);
        AssertConstraint("uq_" + _suffix, error);
        AssertCodes(error, postgres: "23505", mysql: 1062, sqlite: 2067);
        Assert.False(error.IsTransient);
        Assert.DoesNotContain(Value, error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public async Task MissingParent_IsAForeignKeyViolation()
    {
        var connection = WithTables();

        var error = await Assert.ThrowsAsync<StatementException>(() => connection.ExecuteAsync($"INSERT INTO {Child} (id, parent_id) VALUES (1, 99)", cancellationToken: Cancel));

        Assert.Equal(StatementErrorKind.ForeignKeyViolation, error.Kind);
        AssertConstraint("fk_" + _suffix, error);
        AssertCodes(error, postgres: "23503", mysql: 1452, sqlite: 787);
    }

    [Fact]
    public void Null_InANotNullColumn_IsANotNullViolation()
    {
        var connection = WithTables();

        var error = Assert.Throws<StatementException>(() => connection.Execute($"INSERT INTO {Parent} (id, code, qty) VALUES (1, NULL, 1)"));

        Assert.Equal(StatementErrorKind.NotNullViolation, error.Kind);
        AssertCodes(error, postgres: "23502", mysql: 1048, sqlite: 1299);
    }

    [Fact]
    public void RowRefusedByACheck_IsACheckViolation_NamingTheConstraint()
    {
        var connection = WithTables();

        var error = Assert.Throws<StatementException>(() => connection.Execute($"INSERT INTO {Parent} (id, code, qty) VALUES (1, 'a', -5)"));

        Assert.Equal(StatementErrorKind.CheckViolation, error.Kind);
        Assert.Equal("ck_" + _suffix, error.ConstraintName, ignoreCase: true);
        AssertCodes(error, postgres: "23514", mysql: 4025, sqlite: 275);
    }

    [Fact]
    public void Misspelt_AndUnknownTable_AreSyntax()
    {
        var typo = Assert.Throws<StatementException>(() => Primary.Execute("SELEC 1"));
        var unknown = Assert.Throws<StatementException>(() => Primary.Execute("SELECT * FROM no_such_table_" + _suffix));

        Assert.Equal(StatementErrorKind.Syntax, typo.Kind);
        Assert.Equal(StatementErrorKind.Syntax, unknown.Kind);
        AssertCodes(typo, postgres: "42601", mysql: 1064, sqlite: 1);
    }

    [Fact]
    public void LockWait_GivenUpByTheServer_IsATimeout()
    {
        var lockWait = Engine.ShortLockWaitSql;
        if (lockWait is null)
        {
            Assert.Skip("The engine has no lock wait to shorten (SQLite's busy timeout is covered by its unit tests).");
        }

        var other = Fixture.Another("other_" + _suffix);
        var gadget = new Gadget { Name = "locked", Status = "lock" };
        gadget.Save();
        using var holder = new Transaction(Primary);
        Primary.Execute($"UPDATE {Q("gadgets")} SET {Q("rank")} = 1 WHERE {Q("id")} = {P("id")}", new { id = gadget.Id });

        var error = Assert.Throws<StatementException>(() => other.Transaction(() =>
        {
            other.Execute(lockWait);
            other.Execute($"UPDATE {Q("gadgets")} SET {Q("rank")} = 2 WHERE {Q("id")} = {P("id")}", new { id = gadget.Id });
        }));

        Assert.Equal(StatementErrorKind.Timeout, error.Kind);
        Assert.True(error.IsTransient);
        AssertCodes(error, postgres: "55P03", mysql: 1205, sqlite: null);
    }

    [Fact]
    public async Task DeadlockVictim_IsADeadlock()
    {
        if (!Engine.IsServer)
        {
            Assert.Skip("SQLite has one writer at a time: it cannot deadlock.");
        }

        var other = Fixture.Another("other_" + _suffix);
        var first = new Gadget { Name = "first", Status = "deadlock" };
        var second = new Gadget { Name = "second", Status = "deadlock" };
        first.Save();
        second.Save();
        using var bothLocked = new Barrier(2);
        Task<Exception?> LockInOrder(Connection on, long lockFirst, long lockThen) => Task.Run<Exception?>(() =>
        {
            try
            {
                on.Transaction(() =>
                {
                    on.Execute($"UPDATE {Q("gadgets")} SET {Q("rank")} = 1 WHERE {Q("id")} = {P("id")}", new { id = lockFirst });
                    bothLocked.SignalAndWait(TimeSpan.FromSeconds(10));
                    on.Execute($"UPDATE {Q("gadgets")} SET {Q("rank")} = 1 WHERE {Q("id")} = {P("id")}", new { id = lockThen });
                });
                return null;
            }
            catch (Exception exception)
            {
                return exception;
            }
        });

        var outcomes = await Task.WhenAll(LockInOrder(Primary, first.Id, second.Id), LockInOrder(other, second.Id, first.Id));

        var victim = Assert.IsType<StatementException>(Assert.Single(outcomes, o => o is not null));
        Assert.Equal(StatementErrorKind.Deadlock, victim.Kind);
        Assert.True(victim.IsTransient);
        AssertCodes(victim, postgres: "40P01", mysql: 1213, sqlite: null);
    }

    private string Parent => Q("sb_parent_" + _suffix);

    private string Child => Q("sb_child_" + _suffix);

    /// <summary>A parent table with a named unique key and check, and a child with a named foreign key; SQLite enforces foreign keys only when asked.</summary>
    private Connection WithTables()
    {
        var connection = IsSqlite ? Fixture.Another("fk_" + _suffix, c => c.InitCommand = "PRAGMA foreign_keys = ON") : Primary;
        connection.Execute($"CREATE TABLE {Parent} (id INTEGER PRIMARY KEY, code VARCHAR(40) NOT NULL, qty INTEGER, "
            + $"CONSTRAINT {Q("uq_" + _suffix)} UNIQUE (code), CONSTRAINT {Q("ck_" + _suffix)} CHECK (qty >= 0))");
        connection.Execute($"CREATE TABLE {Child} (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL, "
            + $"CONSTRAINT {Q("fk_" + _suffix)} FOREIGN KEY (parent_id) REFERENCES {Parent} (id))");
        return connection;
    }

    private void AssertConstraint(string expected, StatementException error)
    {
        if (IsSqlite)
        {
            // SQLite names the columns of a unique key or foreign key, not the constraint.
            Assert.Null(error.ConstraintName);
        }
        else
        {
            Assert.Equal(expected, error.ConstraintName, ignoreCase: true);
        }
    }

    private void AssertCodes(StatementException error, string postgres, int mysql, int? sqlite)
    {
        switch (Engine.Driver)
        {
            case "postgresql":
                Assert.Equal(postgres, error.SqlState);
                Assert.Null(error.ErrorNumber);
                break;
            case "mysql" or "mariadb":
                Assert.Equal(mysql, error.ErrorNumber);
                Assert.NotNull(error.SqlState);
                break;
            case "sqlite":
                Assert.Null(error.SqlState);
                if (sqlite is { } code)
                {
                    Assert.Equal(code, error.ErrorNumber);
                }

                break;
        }
    }
}
