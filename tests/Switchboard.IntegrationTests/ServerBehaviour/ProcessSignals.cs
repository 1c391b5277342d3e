using System.Diagnostics;
using System.Globalization;

namespace Switchboard.IntegrationTests.ServerBehaviour;

/// <summary>Stops and resumes server processes (SIGSTOP, SIGCONT) and finds a process's parent and children, from /proc.</summary>
internal static class ProcessSignals
{
    public static void Send(string signal, params long[] pids)
    {
        var start = new ProcessStartInfo("kill") { UseShellExecute = false };
        start.ArgumentList.Add("-" + signal);
        foreach (var pid in pids)
        {
            start.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        }

        using var kill = Process.Start(start)!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>The parent of a process, from <c>/proc/PID/stat</c> (the field after the state, past the command in parentheses).</summary>
    public static long ParentOf(long pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[1], CultureInfo.InvariantCulture);
    }

    public static IEnumerable<long> ChildrenOf(long parent)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (long.TryParse(Path.GetFileName(directory), out var pid) && pid != parent)
            {
                long ppid;
                try
                {
                    ppid = ParentOf(pid);
                }
                catch (IOException)
                {
                    continue; // gone meanwhile
                }

                if (ppid == parent)
                {
                    yield return pid;
                }
            }
        }
    }
}
