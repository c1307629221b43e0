using System.Runtime.InteropServices;

namespace OtelLab.Model.Diagnostics.Internal;

/// <summary>The calling thread's CPU time (user + system), from <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c> (Linux).</summary>
internal static class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3; // <linux/time.h>

    /// <summary>Nanoseconds of CPU the calling thread has used, or -1 where the clock cannot be read.</summary>
    public static long NowNanos()
    {
        try
        {
            return ClockGetTime(ClockThreadCpuTimeId, out var ts) == 0 ? (ts.Seconds * 1_000_000_000L) + ts.Nanoseconds : -1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return -1;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clockId, out TimeSpec time);
}
