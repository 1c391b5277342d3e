using Switchboard.Tests.Support;

namespace Switchboard.Tests.Routing;

/// <summary>docs/RELIABILITY.md item 24 and the documented precedence: Using &gt; innermost scope &gt; [Connection] &gt; default.</summary>
public class ConnectionScopeTests
{
    private static TestDatabase ThreeDatabases()
    {
        var db = new TestDatabase();
        foreach (var name in new[] { "primary", "secondary", "tertiary" })
        {
            db.Sqlite(name).WithUsers().Execute("INSERT INTO users (name, status) VALUES (@name, 'x')", new { name });
        }

        return db;
    }

    private static string Where() => User.First().Name;

    [Fact]
    public void UsingConnection_SwitchesTheModelForTheBlockAndRestoresAfter()
    {
        using var db = ThreeDatabases();
        Assert.Equal("primary", Where());
        using (User.UsingConnection("secondary"))
        {
            Assert.Equal("secondary", Where());
            Assert.Equal("secondary", User.GetConnection().Name);
        }

        Assert.Equal("primary", Where());
    }

    [Fact]
    public void Scopes_Nest_AndEachRestoresItsOuter()
    {
        using var db = ThreeDatabases();
        using (User.UsingConnection("secondary"))
        {
            using (User.UsingConnection("tertiary"))
            {
                Assert.Equal("tertiary", Where());
            }

            Assert.Equal("secondary", Where());
        }

        Assert.Equal("primary", Where());
    }

    [Fact]
    public void Scope_IsRestoredAfterAnException()
    {
        using var db = ThreeDatabases();
        try
        {
            using (User.UsingConnection("secondary"))
            {
                throw new InvalidOperationException("boom");
            }
        }
        catch (InvalidOperationException)
        {
        }

        Assert.Equal("primary", Where());
    }

    [Fact]
    public void UsingForOneQuery_WinsOverTheScope()
    {
        using var db = ThreeDatabases();
        using (User.UsingConnection("secondary"))
        {
            Assert.Equal("tertiary", User.Using("tertiary").First().Name);
            Assert.Equal("secondary", Where());
        }

        Assert.Equal("tertiary", User.Using("tertiary").All().Single().Name);
    }

    [Fact]
    public void SwitchingOneModel_DoesNotMoveAnother_ButMovesItsSubclasses()
    {
        using var db = ThreeDatabases();
        db.Registry.GetConnection("secondary").Execute(Schema.Analytics);
        using (User.UsingConnection("tertiary"))
        {
            Assert.Equal("tertiary", AdminUser.First().Name);
            Assert.Equal("secondary", AnalyticsData.GetConnection().Name);
        }

        Assert.Equal("primary", AdminUser.First().Name);
    }

    [Fact]
    public void ModelWithoutConnectionAttribute_UsesTheRegistryDefault()
    {
        using var db = ThreeDatabases();
        Assert.Equal("primary", Unbound.GetConnection().Name);
        db.Registry.DefaultConnectionName = "tertiary";
        Assert.Equal("tertiary", Unbound.GetConnection().Name);
        using (Unbound.UsingConnection("secondary"))
        {
            Assert.Equal("secondary", Unbound.GetConnection().Name);
        }
    }

    [Fact]
    public void UnknownConnectionInAScope_FailsAtFirstUseWithTheConfiguredNames()
    {
        using var db = ThreeDatabases();
        using (User.UsingConnection("nowhere"))
        {
            var error = Assert.Throws<ConfigurationException>(() => User.All());
            Assert.Contains("'nowhere'", error.Message);
            Assert.Contains("primary, secondary, tertiary", error.Message);
        }
    }

    [Fact]
    public async Task Scope_FlowsAcrossAwait()
    {
        using var db = ThreeDatabases();
        using (User.UsingConnection("secondary"))
        {
            await Task.Yield();
            Assert.Equal("secondary", (await User.FirstAsync(TestContext.Current.CancellationToken)).Name);
            await Task.Delay(1, TestContext.Current.CancellationToken);
            Assert.Equal("secondary", Where());
        }
    }

    [Fact]
    public async Task AThousandConcurrentFlows_OverTwoDatabases_EachSeeOnlyTheirOwnConnection()
    {
        using var db = new TestDatabase();
        db.Sqlite("primary", poolSize: 8, poolTimeoutSeconds: 60).WithUsers().Execute("INSERT INTO users (name, status) VALUES ('primary', 'x')");
        db.Sqlite("secondary", poolSize: 8, poolTimeoutSeconds: 60).WithUsers().Execute("INSERT INTO users (name, status) VALUES ('secondary', 'x')");
        var wrong = 0;

        var flows = Enumerable.Range(0, 1000).Select(i => Task.Run(async () =>
        {
            var mine = i % 2 == 0 ? "primary" : "secondary";
            using (User.UsingConnection(mine))
            {
                for (var step = 0; step < 3; step++)
                {
                    await Task.Yield();
                    var seen = (await User.FirstAsync()).Name;
                    if (seen != mine || User.GetConnection().Name != mine)
                    {
                        Interlocked.Increment(ref wrong);
                    }
                }
            }

            if (User.GetConnection().Name != "primary")
            {
                Interlocked.Increment(ref wrong);
            }
        }));
        await Task.WhenAll(flows);

        Assert.Equal(0, wrong);
        Assert.Equal("primary", Where());
        Assert.Equal(0, db.Registry.GetConnection("primary").Statistics.InUse);
        Assert.Equal(0, db.Registry.GetConnection("secondary").Statistics.InUse);
    }

    [Fact]
    public async Task ScopeInOneFlow_IsInvisibleToAConcurrentFlow()
    {
        using var db = ThreeDatabases();
        using var entered = new SemaphoreSlim(0);
        using var checkedOther = new SemaphoreSlim(0);
        var inside = Task.Run(async () =>
        {
            using (User.UsingConnection("secondary"))
            {
                entered.Release();
                await checkedOther.WaitAsync();
                return Where();
            }
        });
        await entered.WaitAsync(TestContext.Current.CancellationToken);
        Assert.Equal("primary", Where());
        checkedOther.Release();
        Assert.Equal("secondary", await inside);
    }

    [Fact]
    public void Registries_AreIndependent_AndActivatePicksTheOneModelsUse()
    {
        using var first = new TestDatabase(activate: false);
        using var second = new TestDatabase(activate: false);
        first.Sqlite("primary").WithUsers().Execute("INSERT INTO users (name, status) VALUES ('first', 'x')");
        second.Sqlite("primary").WithUsers().Execute("INSERT INTO users (name, status) VALUES ('second', 'x')");

        using (first.Registry.Activate())
        {
            Assert.Equal("first", Where());
            using (second.Registry.Activate())
            {
                Assert.Equal("second", Where());
            }

            Assert.Equal("first", Where());
        }
    }

    public class Unbound : ActiveRecord<Unbound>
    {
        public long Id { get; set; }
    }
}
