using System.Runtime.InteropServices;

namespace Switchboard.Benchmarks;

/// <summary>The calling thread's processor time (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>), in nanoseconds.</summary>
internal static class ThreadTime
{
    private const int ClockThreadCpuTime = 3;

    /// <summary>Whether the clock can be read here (Linux only).</summary>
    public static bool Available => OperatingSystem.IsLinux();

    public static long Nanoseconds()
    {
        if (clock_gettime(ClockThreadCpuTime, out var time) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        }

        return (time.Seconds * 1_000_000_000) + time.Nanoseconds;
    }

    [DllImport("libc")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int clock_gettime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
