using System.Globalization;

namespace OtelLab.Scenarios.Loads;

/// <summary>
/// A real process's CPU time and resident memory from <c>/proc</c>, its live descendants included (a sample service's
/// launcher may run the service as a child): <c>/proc/PID/stat</c> fields 14–15 (utime, stime, in clock ticks) and
/// <c>/proc/PID/status</c> VmRSS. proc(5).
/// </summary>
public static class ProcessUsage
{
    // USER_HZ: the unit of utime/stime; 100 on every Linux architecture the lab runs on (proc(5): sysconf(_SC_CLK_TCK)).
    private const double TicksPerSecond = 100;

    /// <summary>(CPU time, resident bytes) of the process and its descendants, or null when it is gone.</summary>
    public static (TimeSpan Cpu, long RssBytes)? Read(int pid)
    {
        if (Stat(pid) is null)
        {
            return null;
        }

        var cpu = 0L;
        var rss = 0L;
        var seen = new HashSet<int>();
        var pending = new Stack<int>([pid]);
        while (pending.TryPop(out var p))
        {
            if (!seen.Add(p) || Stat(p) is not { } ticks)
            {
                continue;
            }

            cpu += ticks;
            rss += Rss(p);
            foreach (var child in Children(p))
            {
                pending.Push(child);
            }
        }

        return (TimeSpan.FromSeconds(cpu / TicksPerSecond), rss);
    }

    /// <summary>utime + stime in ticks, or null when the process is gone.</summary>
    internal static long? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces and ')': the fields after it start past the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static long Rss(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }

    private static IEnumerable<int> Children(int pid)
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var task in tasks)
        {
            string text;
            try
            {
                text = File.ReadAllText(Path.Combine(task, "children"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var child in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                yield return int.Parse(child, CultureInfo.InvariantCulture);
            }
        }
    }
}
