using Microsoft.Extensions.Time.Testing;
using Switchboard.Tests.Guide;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Connections;

/// <summary><see cref="ConnectionRegistry.SetDefault"/>: a registry the application built becomes the models' process-wide default.</summary>
[Collection(nameof(ConnectionManagerCollection))]
public class ConnectionRegistryDefaultTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SetDefault_MakesTheRegistryTheOneModelsAndConnectionManagerUse(bool async)
    {
        var builtIn = ConnectionRegistry.Default;
        using var db = new TestDatabase(new FakeTimeProvider(), activate: false);
        db.Sqlite("primary").WithUsers();

        using (ConnectionRegistry.SetDefault(db.Registry))
        {
            Assert.Same(db.Registry, ConnectionRegistry.Default);
            Assert.Same(db.Registry, ConnectionManager.Registry);
            var user = new User { Name = "ada", Status = "active" };
            if (async)
            {
                await user.SaveAsync(TestContext.Current.CancellationToken);
            }
            else
            {
                user.Save();
            }

            Assert.Equal(1, db.Registry.GetConnection("primary").Scalar<long>("SELECT COUNT(*) FROM users"));
            Assert.Equal("ada", (async ? await User.FindAsync(user.Id, TestContext.Current.CancellationToken) : User.Find(user.Id)).Name);
        }

        Assert.Same(builtIn, ConnectionRegistry.Default);
        Assert.False(builtIn.IsConfigured("primary"));
    }

    [Fact]
    public void SetDefault_AnActivatedRegistry_StillWinsInItsFlow()
    {
        using var activated = new TestDatabase();
        activated.Sqlite("primary").WithUsers();
        using var other = new TestDatabase(activate: false);
        other.Sqlite("primary").WithUsers();

        using (ConnectionRegistry.SetDefault(other.Registry))
        {
            new User { Name = "flow", Status = "x" }.Save();
        }

        Assert.Equal(1, activated.Registry.GetConnection("primary").Scalar<long>("SELECT COUNT(*) FROM users"));
        Assert.Equal(0, other.Registry.GetConnection("primary").Scalar<long>("SELECT COUNT(*) FROM users"));
    }

    [Fact]
    public void SetDefault_HandlesDisposedInOrder_RestoreEachPreviousDefault()
    {
        var builtIn = ConnectionRegistry.Default;
        using var first = new TestDatabase(activate: false);
        using var second = new TestDatabase(activate: false);
        var firstHandle = ConnectionRegistry.SetDefault(first.Registry);
        var secondHandle = ConnectionRegistry.SetDefault(second.Registry);
        Assert.Same(second.Registry, ConnectionRegistry.Default);

        secondHandle.Dispose();
        Assert.Same(first.Registry, ConnectionRegistry.Default);
        firstHandle.Dispose();
        Assert.Same(builtIn, ConnectionRegistry.Default);
    }

    [Fact]
    public void SetDefault_OlderHandleDisposedLate_NeitherTakesTheDefaultNorRestoresAReleasedRegistry()
    {
        var builtIn = ConnectionRegistry.Default;
        using var older = new TestDatabase(activate: false);
        using var newer = new TestDatabase(activate: false);
        var olderHandle = ConnectionRegistry.SetDefault(older.Registry);
        var newerHandle = ConnectionRegistry.SetDefault(newer.Registry);

        olderHandle.Dispose();
        olderHandle.Dispose();
        Assert.Same(newer.Registry, ConnectionRegistry.Default);

        newerHandle.Dispose();
        Assert.Same(builtIn, ConnectionRegistry.Default);
    }
}
