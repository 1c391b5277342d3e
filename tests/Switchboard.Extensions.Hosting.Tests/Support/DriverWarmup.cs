using System.Runtime.CompilerServices;

namespace Switchboard.Extensions.Hosting.Tests.Support;

/// <summary>
/// Resolves each driver by name once, on one thread, before any test runs. The core's DriverCatalog loads a provider
/// package on first use, and a second configuration racing that first load is told the package is missing
/// (reported to the lead); the tests here are about hosting, so they start with the drivers loaded.
/// </summary>
internal static class DriverWarmup
{
#pragma warning disable CA2255 // A module initializer is the one place that runs before every test of the assembly.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void LoadDrivers()
    {
        var registry = new ConnectionRegistry();
        registry.Configure("sqlite", "sqlite:///:memory:");
        registry.Configure("postgresql", "postgresql://warmup@127.0.0.1/warmup");
        registry.Configure("mysql", "mysql://warmup@127.0.0.1/warmup");
        registry.DisposeAll();
    }
}
