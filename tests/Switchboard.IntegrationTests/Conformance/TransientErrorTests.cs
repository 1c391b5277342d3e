using Switchboard.IntegrationTests.Conformance.Models;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>
/// Failures a retry can cure, as the server produces them: a lock wait given up, a deadlock, and a session the server
/// killed. Server engines only (SQLite's busy errors are classified by its unit tests).
/// </summary>
public abstract class TransientErrorTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    [Fact]
    public void LockWait_GivingUp_IsTransient()
    {
        var lockWait = Require(Engine.ShortLockWaitSql, "a statement that shortens the lock wait");
        var other = Fixture.Another("other");
        var gadget = new Gadget { Name = "locked", Status = "lock" };
        gadget.Save();

        using var holder = new Transaction(Primary);
        Primary.Execute(UpdateRank("1"), new { id = gadget.Id });
        var error = Assert.ThrowsAny<SwitchboardException>(() => other.Transaction(() =>
        {
            other.Execute(lockWait);
            other.Execute(UpdateRank("2"), new { id = gadget.Id });
        }));

        Assert.True(error.IsTransient, error.Message);
        Assert.IsNotType<ConnectionException>(error);
    }

    [Fact]
    public async Task Deadlock_BetweenTwoTransactions_FailsOneOfThemAsTransient()
    {
        var other = Fixture.Another("other");
        var first = new Gadget { Name = "first", Status = "deadlock" };
        var second = new Gadget { Name = "second", Status = "deadlock" };
        first.Save();
        second.Save();
        using var bothLocked = new Barrier(2);

        // Each flow locks one row, waits until the other has locked its row, then asks for the other's row.
        Task<SwitchboardException?> LockInOrder(Connection on, long lockFirst, long lockThen) => Task.Run<SwitchboardException?>(() =>
        {
            try
            {
                on.Transaction(() =>
                {
                    on.Execute(UpdateRank(Q("rank") + " + 1"), new { id = lockFirst });
                    bothLocked.SignalAndWait(TimeSpan.FromSeconds(10));
                    on.Execute(UpdateRank(Q("rank") + " + 1"), new { id = lockThen });
                });
                return null;
            }
            catch (SwitchboardException exception)
            {
                return exception;
            }
        });

        var outcomes = await Task.WhenAll(LockInOrder(Primary, first.Id, second.Id), LockInOrder(other, second.Id, first.Id));

        var victim = Assert.IsType<SwitchboardException>(Assert.Single(outcomes, o => o is not null), exactMatch: false);
        Assert.True(victim.IsTransient, victim.Message);
        Assert.Contains("deadlock", victim.InnerException?.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, Gadget.Where(g => g.Status == "deadlock").All().Sum(g => g.Rank));
    }

    [Fact]
    public void KilledSession_IsALostConnection_AndTheNextStatementGetsANewOne()
    {
        var sessionId = Require(Engine.SessionIdSql, "a query for the session id");
        var sessionCount = Require(Engine.SessionCountSql, "a query counting sessions");
        // Without pre-ping, the pool hands out the dead session, as it would if the kill came between the ping and the statement.
        var connection = Fixture.Another("victim", c => (c.PoolSize, c.PoolPrePing) = (1, PrePing.Never));
        var killer = Fixture.Another("killer");
        var victim = connection.Scalar<long>(sessionId);

        killer.Execute(Engine.KillSql(victim)!);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (killer.Scalar<long>(sessionCount, new { id = victim }) > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        var error = Assert.ThrowsAny<SwitchboardException>(() => connection.Scalar<long>(sessionId));

        Assert.IsType<ConnectionException>(error);
        Assert.True(error.IsTransient);
        Assert.NotEqual(victim, connection.Scalar<long>(sessionId));
    }

    private static string Require(string? sql, string what)
    {
        if (sql is null)
        {
            Assert.Skip($"The test engine has no {what} yet.");
        }

        return sql;
    }

    private string UpdateRank(string value) => $"UPDATE {Q("gadgets")} SET {Q("rank")} = {value} WHERE {Q("id")} = {P("id")}";
}
