using System.Diagnostics;
using Switchboard.Tests.Support;

namespace Switchboard.IntegrationTests.Replicas;

/// <summary>Runs a function of scripts/lib/replicas.sh (stop or start the standby) with the variables scripts/test exported.</summary>
internal sealed class ReplicaServerControl
{
    private readonly string _script;

    private ReplicaServerControl(string script) => _script = script;

    public static ReplicaServerControl Require()
    {
        TestServers.Require(TestServers.PostgresStandbyVariable);
        var script = FindScript();
        if (script is null || Environment.GetEnvironmentVariable("SB_PG_STANDBY_DATA") is null || Environment.UserName != "root")
        {
            var reason = "stopping the standby needs root and the SB_PG_STANDBY_* variables of scripts/lib/replicas.sh (scripts/test exports them).";
            if (TestServers.IsCi)
            {
                Assert.Fail(reason);
            }

            Assert.Skip(reason);
        }

        return new ReplicaServerControl(script!);
    }

    public async Task RunAsync(string function, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("""source "$(dirname "$0")/servers.sh" && source "$0" && "$1" """);
        start.ArgumentList.Add(_script);
        start.ArgumentList.Add(function);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        Assert.True(process.ExitCode == 0, $"{function} failed: {await errors}");
    }

    private static string? FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "scripts", "lib", "replicas.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>The replica tests run one at a time: one stops the shared standby.</summary>
[CollectionDefinition(nameof(ReplicaServersCollection), DisableParallelization = true)]
public sealed class ReplicaServersCollection;
