using Switchboard.IntegrationTests.Conformance.Models;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>Routing a model between two connections of the same engine (two stores): scopes, per-query Using, and transactions.</summary>
public abstract class ScopeTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    private const string Secondary = EngineFixture.SecondaryName;

    [Fact]
    public void UsingConnection_RoutesTheModelInsideTheScope_AndRestoresItAfter()
    {
        new Gadget { Name = "primary row", Status = "s" }.Save();

        using (Gadget.UsingConnection(Secondary))
        {
            Assert.Equal(Secondary, Gadget.GetConnection().Name);
            Assert.Equal(0, Gadget.Count());
            new Gadget { Name = "secondary row", Status = "s" }.Save();
            Assert.Equal(["secondary row"], Gadget.All().Select(g => g.Name));
        }

        Assert.Equal(EngineFixture.PrimaryName, Gadget.GetConnection().Name);
        Assert.Equal(["primary row"], Gadget.All().Select(g => g.Name));
        Assert.Equal(["secondary row"], Gadget.Using(Secondary).All().Select(g => g.Name));
    }

    [Fact]
    public void Scopes_Nest_AndAreRestoredAfterAnException()
    {
        Assert.Throws<InvalidOperationException>((Action)(() =>
        {
            using (Gadget.UsingConnection(Secondary))
            {
                using (Gadget.UsingConnection(EngineFixture.PrimaryName))
                {
                    new Gadget { Name = "inner scope", Status = "s" }.Save();
                }

                new Gadget { Name = "outer scope", Status = "s" }.Save();
                throw new InvalidOperationException("leave the scope");
            }
        }));

        Assert.Equal(EngineFixture.PrimaryName, Gadget.GetConnection().Name);
        Assert.Equal(["inner scope"], Gadget.All().Select(g => g.Name));
        Assert.Equal(["outer scope"], Gadget.Using(Secondary).All().Select(g => g.Name));
    }

    [Fact]
    public async Task Scope_FlowsAcrossAwait_AndIsInvisibleToAFlowStartedOutsideIt()
    {
        using var scopeEntered = new SemaphoreSlim(0);
        using var observed = new SemaphoreSlim(0);
        var outside = Task.Run(async () =>
        {
            await scopeEntered.WaitAsync(Cancel);
            var name = Gadget.GetConnection().Name;
            observed.Release();
            return name;
        });

        using (Gadget.UsingConnection(Secondary))
        {
            scopeEntered.Release();
            await observed.WaitAsync(Cancel);
            await new Gadget { Name = "after await", Status = "s" }.SaveAsync(Cancel);
            Assert.Equal(Secondary, await Task.Run(() => Gadget.GetConnection().Name, Cancel));
        }

        Assert.Equal(EngineFixture.PrimaryName, await outside);
        Assert.Equal(1, Gadget.Using(Secondary).Count());
        Assert.Equal(0, Gadget.Count());
    }

    [Fact]
    public void Transaction_OnOneConnection_LeavesTheOtherOutOfIt()
    {
        using (new Transaction(Primary))
        {
            new Gadget { Name = "rolled back on primary", Status = "s" }.Save();
            using (Gadget.UsingConnection(Secondary))
            {
                new Gadget { Name = "autocommitted on secondary", Status = "s" }.Save();
            }
        }

        Assert.Equal(0, Gadget.Count());
        Assert.Equal(1, Gadget.Using(Secondary).Count());
    }

    [Fact]
    public void Transactions_OnBothConnections_CommitAndRollBackIndependently()
    {
        using (var onPrimary = new Transaction(Primary))
        using (var onSecondary = new Transaction(Fixture.Secondary))
        {
            new Gadget { Name = "kept", Status = "s" }.Save();
            Gadget.Using(Secondary).Where(g => g.Id < 0).All();
            using (Gadget.UsingConnection(Secondary))
            {
                new Gadget { Name = "dropped", Status = "s" }.Save();
            }

            onPrimary.Commit();
            onSecondary.Rollback();
        }

        Assert.Equal(["kept"], Gadget.All().Select(g => g.Name));
        Assert.Equal(0, Gadget.Using(Secondary).Count());
    }
}
