using System.Diagnostics;

namespace Switchboard.Soak;

/// <summary>
/// A throwaway PostgreSQL or MariaDB server on loopback (and PgBouncer in front of the PostgreSQL, when asked), started
/// with scripts/lib/servers.sh and pgbouncer.sh (as scripts/test does) in a directory of its own, so that the soak may restart it without touching the servers others use. A bash process owns
/// it: closing that process's input (or this process dying) stops the server.
/// </summary>
internal sealed class SoakServer : IAsyncDisposable
{
    private const string OwnerScript = """
        source "$0" || exit 1
        source "$(dirname "$0")/pgbouncer.sh" || exit 1
        trap 'sb_stop_pgbouncer; sb_stop_servers' EXIT
        for server in $1; do "sb_start_$server" || exit 1; done
        env | grep -E '^(SB_[A-Z_]+|SWITCHBOARD_TEST_[A-Z]+)=' || true
        echo SB_READY=1
        read -r _ || true
        """;

    private readonly Process _owner;
    private readonly string _script;
    private readonly string _engine;
    private readonly Dictionary<string, string> _variables;

    private SoakServer(Process owner, string script, string engine, Dictionary<string, string> variables)
    {
        _owner = owner;
        _script = script;
        _engine = engine;
        _variables = variables;
    }

    /// <summary>The server's own URL (the monitor's).</summary>
    public string Url => _variables[_engine == "postgres" ? "SWITCHBOARD_TEST_POSTGRES" : "SWITCHBOARD_TEST_MYSQL"];

    /// <summary>A variable the start scripts exported, such as <c>SWITCHBOARD_TEST_PGBOUNCER</c>.</summary>
    public string Variable(string name) => _variables[name];

    /// <summary>Starts the servers in order: <c>postgres</c> or <c>mariadb</c>, then <c>pgbouncer</c> when asked; the first is the one restarted.</summary>
    public static async Task<SoakServer> StartAsync(IReadOnlyList<string> servers)
    {
        var engine = servers[0];
        var script = FindScript() ?? throw new InvalidOperationException($"scripts/lib/servers.sh was not found above {AppContext.BaseDirectory}.");
        var start = Bash(OwnerScript, script, string.Join(' ', servers));
        start.RedirectStandardInput = true;
        start.Environment["SB_SERVERS_DIR"] = Path.Combine(Path.GetTempPath(), "switchboard-soak");
        var owner = Process.Start(start)!;
        owner.ErrorDataReceived += (_, _) => { };
        owner.BeginErrorReadLine();
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await owner.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line == "SB_READY=1")
            {
                return new SoakServer(owner, script, engine, variables);
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            variables[line[..equals]] = line[(equals + 1)..];
        }

        await owner.WaitForExitAsync();
        throw new InvalidOperationException($"starting {string.Join(" and ", servers)} failed (exit code {owner.ExitCode}); it needs Linux and root, as scripts/test does.");
    }

    /// <summary>Restarts the server on the same port and data.</summary>
    public async Task RestartAsync()
    {
        var restart = Bash("""source "$0" && "sb_restart_$1" """, _script, _engine);
        foreach (var (name, value) in _variables)
        {
            restart.Environment[name] = value;
        }

        using var process = Process.Start(restart)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"sb_restart_{_engine} failed with exit code {process.ExitCode}.");
        }
    }

    /// <summary>The processes of the server the soak restarts (the postmaster and its children; mariadbd), to stop and resume with signals.</summary>
    public IReadOnlyList<int> Processes()
    {
        var pidFile = _engine == "postgres" ? Path.Combine(_variables["SB_PG_DATA"], "postmaster.pid") : Path.Combine(_variables["SB_MYSQL_DIR"], "mariadb.pid");
        var main = int.Parse(File.ReadLines(pidFile).First().Trim(), System.Globalization.CultureInfo.InvariantCulture);
        List<int> processes = [main];
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(directory), out var pid) && pid != main)
                {
                    var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    if (fields[1] == main.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    {
                        processes.Add(pid);
                    }
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }

        return processes;
    }

    /// <summary>Sends a signal (<c>STOP</c>, <c>CONT</c>) to processes.</summary>
    public static void Signal(string signal, IReadOnlyList<int> processes)
    {
        var start = new ProcessStartInfo("kill") { UseShellExecute = false };
        start.ArgumentList.Add("-" + signal);
        foreach (var pid in processes)
        {
            start.ArgumentList.Add(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var kill = Process.Start(start)!;
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        _owner.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _owner.WaitForExitAsync(timeout.Token);
        _owner.Dispose();
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
