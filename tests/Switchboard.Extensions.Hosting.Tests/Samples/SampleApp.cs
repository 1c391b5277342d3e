using Microsoft.AspNetCore.Mvc.Testing;

namespace Switchboard.Extensions.Hosting.Tests.Samples;

/// <summary>
/// The sample in memory, disposed completely before the next test starts. WebApplicationFactory stops the host when
/// disposed, but WebApplication.Run disposes its service provider later, on the application's thread; the sample uses
/// ConnectionRegistry.Default, and that late disposal disposes the registry with whatever the next test configured.
/// </summary>
public sealed class SampleApp(WebApplicationFactory<Program> factory) : IAsyncDisposable
{
    public IServiceProvider Services => factory.Services;

    public HttpClient CreateClient() => factory.CreateClient();

    public async ValueTask DisposeAsync()
    {
        // The host's part of the registry (its logging) is handed back last, after the registry itself is disposed.
        var logging = factory.Services.GetService(typeof(Microsoft.Extensions.Logging.ILoggerFactory));
        await factory.DisposeAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (!ReferenceEquals(ConnectionRegistry.Default.LoggerFactory, logging))
            {
                return;
            }

            await Task.Delay(10);
        }

        Assert.Fail("The sample's service provider was not disposed within 30 s of stopping it.");
    }
}
