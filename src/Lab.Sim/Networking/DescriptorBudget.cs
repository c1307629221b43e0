using System.Globalization;

namespace OtelLab.Sim.Networking;

/// <summary>
/// The lab's one process holds every simulated pod's sockets (9,000 farm listeners, every scrape's two ends), so the
/// open-file limit is a shared budget: the farm checks it before binding and the scrapers share what is left.
/// </summary>
public static class DescriptorBudget
{
    /// <summary>The process's open-file soft limit (Linux /proc/self/limits; null elsewhere).</summary>
    public static long? SoftLimit()
    {
        try
        {
            if (!File.Exists("/proc/self/limits"))
            {
                return null;
            }

            foreach (var line in File.ReadLines("/proc/self/limits"))
            {
                if (!line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    continue;
                }

                var soft = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return soft == "unlimited" ? long.MaxValue : long.Parse(soft, CultureInfo.InvariantCulture);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
