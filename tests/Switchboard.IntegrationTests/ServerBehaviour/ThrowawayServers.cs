using Switchboard.Tests.Support;

namespace Switchboard.IntegrationTests.ServerBehaviour;

/// <summary>The throwaway servers of the restart tests, each started on first use and stopped after the last test of the collection.</summary>
public sealed class ThrowawayServers : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, (ThrowawayServer? Server, string? Problem)> _servers = [];

    /// <summary>The URL of the throwaway <paramref name="engine"/> server (<c>postgres</c> or <c>mariadb</c>); skips (fails under CI) when none can be started.</summary>
    internal async Task<ThrowawayServer> RequireAsync(string engine)
    {
        await _gate.WaitAsync();
        try
        {
            if (!_servers.TryGetValue(engine, out var entry))
            {
                entry = await ThrowawayServer.StartAsync(engine);
                _servers[engine] = entry;
            }

            if (entry.Server is { } server)
            {
                return server;
            }

            var reason = $"No throwaway {engine} server for the restart tests: {entry.Problem}";
            if (TestServers.IsCi)
            {
                Assert.Fail(reason + " Under CI=true a missing server is a failure.");
            }

            Assert.Skip(reason);
            return null!;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (server, _) in _servers.Values)
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        _gate.Dispose();
    }
}
