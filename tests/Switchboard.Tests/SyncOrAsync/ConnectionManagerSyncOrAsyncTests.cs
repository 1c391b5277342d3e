using Switchboard.Tests.Guide;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.SyncOrAsync;

/// <summary>The static facade's operations, each run in its sync and its async form against a registry made the default.</summary>
[Collection(nameof(ConnectionManagerCollection))]
public sealed class ConnectionManagerSyncOrAsyncTests : SyncOrAsyncTestBase
{
    [Theory]
    [SyncOrAsyncData]
    public async Task InitializeAll_CheckHealth_AndVerifyModels_GoToTheDefaultRegistry(SyncOrAsync mode)
    {
        using (ConnectionRegistry.SetDefault(Registry))
        {
            await Run(mode, ConnectionManager.InitializeAll, ConnectionManager.InitializeAllAsync);
            var health = await Run(mode, ConnectionManager.CheckHealth, ConnectionManager.CheckHealthAsync);
            var report = await Run(mode, () => ConnectionManager.VerifyModels("primary", typeof(User)), ct => ConnectionManager.VerifyModelsAsync("primary", [typeof(User)], ct));

            Assert.Equal((1, 1), (Primary.Statistics.Idle, Secondary.Statistics.Idle));
            Assert.Equal(["primary", "secondary"], health.Select(h => h.Name).Order());
            Assert.Empty(report.Problems);
        }
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Dispose_And_DisposeAll_CloseThePoolsOfTheDefaultRegistry(SyncOrAsync mode)
    {
        using (ConnectionRegistry.SetDefault(Registry))
        {
            var disposed = await Run(mode, () => ConnectionManager.Dispose("primary"), _ => ConnectionManager.DisposeAsync("primary").AsTask());
            await Run(mode, ConnectionManager.DisposeAll, _ => ConnectionManager.DisposeAllAsync().AsTask());

            Assert.True(disposed);
            Assert.Empty(Registry.Names);
        }
    }
}
