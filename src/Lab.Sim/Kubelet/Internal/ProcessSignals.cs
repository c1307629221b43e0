using System.Globalization;
using System.Runtime.InteropServices;

namespace OtelLab.Sim.Kubelet.Internal;

/// <summary>
/// POSIX signals to child processes and the process tree as <c>/proc</c> shows it. A process is named with its start
/// time (field 22 of <c>/proc/&lt;pid&gt;/stat</c>) so a pid reused by an unrelated process is never signalled.
/// </summary>
internal static class ProcessSignals
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>A process as seen at one moment: its pid and its start time in clock ticks since boot.</summary>
    public readonly record struct ProcessIdentity(int Pid, long StartTime);

    /// <summary>Sends <paramref name="signal"/> when the process is still the one identified; false when it is gone.</summary>
    public static bool Send(ProcessIdentity process, int signal) =>
        StartTimeOf(process.Pid) == process.StartTime && Kill(process.Pid, signal) == 0;

    /// <summary>The process and its descendants, parents first (empty when it is gone or /proc is unavailable).</summary>
    public static IReadOnlyList<ProcessIdentity> Tree(int pid)
    {
        var result = new List<ProcessIdentity>();
        var pending = new Queue<int>([pid]);
        while (pending.Count > 0)
        {
            var next = pending.Dequeue();
            if (StartTimeOf(next) is not { } start)
            {
                continue;
            }

            result.Add(new ProcessIdentity(next, start));
            foreach (var child in ChildrenOf(next))
            {
                pending.Enqueue(child);
            }
        }

        return result;
    }

    /// <summary>True while the process runs code (not gone and not a zombie awaiting its reaper).</summary>
    public static bool IsAlive(ProcessIdentity process)
    {
        var stat = Stat(process.Pid);
        return stat is not null && StartTime(stat) == process.StartTime && !State(stat).StartsWith('Z');
    }

    private static IEnumerable<int> ChildrenOf(int pid)
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        var children = new List<int>();
        foreach (var task in tasks)
        {
            try
            {
                children.AddRange(File.ReadAllText(Path.Combine(task, "children"))
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(s => int.Parse(s, CultureInfo.InvariantCulture)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the task ended meanwhile
            }
        }

        return children;
    }

    private static long? StartTimeOf(int pid) => Stat(pid) is { } stat ? StartTime(stat) : null;

    private static string? Stat(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // Fields after "(comm)": state is field 3, starttime field 22 (proc(5)); comm may contain spaces and ')'.
    private static string State(string stat) => stat[(stat.LastIndexOf(')') + 2)..];

    private static long StartTime(string stat) =>
        long.Parse(State(stat).Split(' ')[19], CultureInfo.InvariantCulture);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
