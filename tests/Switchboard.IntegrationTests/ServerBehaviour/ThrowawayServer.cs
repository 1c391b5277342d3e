using System.Diagnostics;
using System.Text;

namespace Switchboard.IntegrationTests.ServerBehaviour;

/// <summary>
/// A PostgreSQL or MariaDB server of its own, started by scripts/lib/servers.sh (the same functions scripts/test uses)
/// in a separate directory, so that tests may restart it without disturbing the shared servers other tests use.
/// </summary>
/// <remarks>
/// A bash process owns the server: it starts it, prints its variables, then waits on its standard input with an EXIT
/// trap that stops it. Closing that input stops the server; so does this process dying, since the pipe then closes.
/// </remarks>
internal sealed class ThrowawayServer : IAsyncDisposable
{
    private const string OwnerScript = """
        source "$0" || exit 1
        trap sb_stop_servers EXIT
        "sb_start_$1" || exit 1
        env | grep -E '^(SB_[A-Z_]+|SWITCHBOARD_TEST_[A-Z]+)=' || true
        echo SB_READY=1
        read -r _ || true
        """;

    private readonly Process _owner;
    private readonly StringBuilder _errors;
    private readonly string _script;
    private readonly string _engine;

    private ThrowawayServer(Process owner, StringBuilder errors, string script, string engine, Dictionary<string, string> variables)
    {
        _owner = owner;
        _errors = errors;
        _script = script;
        _engine = engine;
        Variables = variables;
    }

    public IReadOnlyDictionary<string, string> Variables { get; }

    public string Url => Variables[_engine == "postgres" ? "SWITCHBOARD_TEST_POSTGRES" : "SWITCHBOARD_TEST_MYSQL"];

    /// <summary>Starts a server: <paramref name="engine"/> is <c>postgres</c> or <c>mariadb</c>.</summary>
    /// <returns>The server, or why none could be started.</returns>
    public static async Task<(ThrowawayServer? Server, string? Problem)> StartAsync(string engine)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return (null, "a throwaway server needs Linux and root (the server runs as the postgres user, as scripts/test does)");
        }

        if (FindScript() is not { } script)
        {
            return (null, $"scripts/lib/servers.sh was not found above {AppContext.BaseDirectory}");
        }

        var start = Bash(OwnerScript, script, engine);
        start.RedirectStandardInput = true;
        start.Environment["SB_SERVERS_DIR"] = Path.Combine(Path.GetTempPath(), "switchboard-restart-tests");
        var owner = Process.Start(start)!;
        var errors = Drain(owner);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await owner.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line == "SB_READY=1")
            {
                return (new ThrowawayServer(owner, errors, script, engine, variables), null);
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            variables[line[..equals]] = line[(equals + 1)..];
        }

        await owner.WaitForExitAsync();
        owner.Dispose();
        return (null, $"sb_start_{engine} failed: {errors}");
    }

    /// <summary>Restarts the server on the same port and data (<c>sb_restart_postgres</c> / <c>sb_restart_mariadb</c>).</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        var restart = Bash("""source "$0" && "sb_restart_$1" """, _script, _engine);
        foreach (var (name, value) in Variables)
        {
            restart.Environment[name] = value;
        }

        using var process = Process.Start(restart)!;
        var errors = Drain(process);
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        Assert.True(process.ExitCode == 0, $"sb_restart_{_engine} failed: {errors}");
    }

    public async ValueTask DisposeAsync()
    {
        _owner.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _owner.WaitForExitAsync(timeout.Token);
        _owner.Dispose();
        _ = _errors;
    }

    private static ProcessStartInfo Bash(string command, string script, string engine)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(engine);

        // The shared servers' variables would make sb_start_* reuse them instead of starting our own.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("SB_", StringComparison.Ordinal) || k.StartsWith("SWITCHBOARD_TEST_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        return start;
    }

    /// <summary>Collects standard error as it comes, so that the process never blocks on a full pipe.</summary>
    private static StringBuilder Drain(Process process)
    {
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        return errors;
    }

    private static string? FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "scripts", "lib", "servers.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
