using Switchboard.Tests.Support;

namespace Switchboard.Tests.SyncOrAsync;

/// <summary>The registry's start-up, health, schema and shut-down operations, each run in its sync and its async form.</summary>
public sealed class ConnectionRegistrySyncOrAsyncTests : SyncOrAsyncTestBase
{
    [Theory]
    [SyncOrAsyncData]
    public async Task InitializeAll_OpensOneConnectionPerName(SyncOrAsync mode)
    {
        var fresh = Configure("fresh");
        Assert.Equal(0, fresh.Statistics.Size);

        await Run(mode, Registry.InitializeAll, Registry.InitializeAllAsync);

        Assert.All(Registry.Names.Select(Registry.GetConnection), c => Assert.Equal((1, 0), (c.Statistics.Idle, c.Statistics.InUse)));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task InitializeAll_OfAnUnreachableDatabase_ThrowsConnectionException(SyncOrAsync mode)
    {
        Registry.Configure("unreachable", new Dictionary<string, object?>
        {
            ["driver"] = ModeRecordingDriver.DriverName,
            ["database"] = Path.Combine(Db.Folder, "no-such-folder", "x.db"),
        });

        await Throws<ConnectionException>(mode, Registry.InitializeAll, Registry.InitializeAllAsync);
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task CheckHealth_ReportsEveryConnectionHealthy(SyncOrAsync mode)
    {
        var report = await Run(mode, Registry.CheckHealth, Registry.CheckHealthAsync);

        Assert.Equal(["primary", "secondary"], report.Select(h => h.Name).Order());
        Assert.All(report, h => Assert.Equal(HealthStatus.Healthy, h.Status));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task VerifyModels_FindsNoProblemInAFittingModel_AndErrorsForAMissingTable(SyncOrAsync mode)
    {
        var fits = await Run(mode, () => Registry.VerifyModels("primary", typeof(User)), ct => Registry.VerifyModelsAsync("primary", [typeof(User)], ct));
        var missing = await Run(mode, () => Registry.VerifyModels("primary", typeof(AnalyticsData)), ct => Registry.VerifyModelsAsync("primary", [typeof(AnalyticsData)], ct));

        Assert.Empty(fits.Problems);
        Assert.True(missing.HasErrors);
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Dispose_ClosesTheNamedPool_AndSaysWhetherItWasConfigured(SyncOrAsync mode)
    {
        Primary.Execute("SELECT 1");

        var disposed = await Run(mode, () => Registry.Dispose("primary"), _ => Registry.DisposeAsync("primary").AsTask());
        var again = await Run(mode, () => Registry.Dispose("primary"), _ => Registry.DisposeAsync("primary").AsTask());

        Assert.Equal((true, false), (disposed, again));
        Assert.False(Registry.IsConfigured("primary"));
        Assert.True(Registry.IsConfigured("secondary"));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task DisposeAll_ClosesEveryPool(SyncOrAsync mode)
    {
        Primary.Execute("SELECT 1");

        await Run(mode, Registry.DisposeAll, _ => Registry.DisposeAllAsync().AsTask());

        Assert.Empty(Registry.Names);
        Assert.Equal(0, Primary.Statistics.Size);
    }
}
