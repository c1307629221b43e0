using System.Diagnostics;
using OtelLab.Sim.Networking;

namespace OtelLab.Sim.Collector.Receivers.Prometheus.Internal;

/// <summary>
/// In-flight scrapes of every prometheus receiver in the lab's process. Upstream has no such limit (each target has at
/// most one scrape in flight, each replica its own process); here every replica and every farm target share one
/// process, its cores and its open-file limit, and a scrape holds two descriptors (the scraper's socket and the target's
/// accepted one) next to 9,000 listening sockets. A scrape that waits for a slot spends its own scrape timeout waiting,
/// so overload shows as late or failed scrapes (<c>up</c> 0, "context deadline exceeded"), what an overloaded
/// Prometheus shows, instead of as descriptors.
/// Sized by the cores, not only by the descriptors (measured 2026-11-24, 9,000 targets at 900 scrapes/s on 2 cores):
/// with 4,000 slots (a fifth of the limit) a lab that fell behind kept opening connections whose other end the starved
/// farm had not served yet, and died at the 20,000-descriptor limit ("Out of memory."). Loopback scrapes with both ends
/// in this process gain nothing from more than a few dozen in flight per core.
/// </summary>
internal static class ScrapeSlots
{
    /// <summary>64 per core, at most a fifth of the descriptor limit (two descriptors each: 40 %), at least 16: 128 on 2 cores.</summary>
    public static readonly int Capacity = (int)Math.Clamp(Math.Min(64L * Environment.ProcessorCount, (DescriptorBudget.SoftLimit() ?? 20_000) / 5), 16, 100_000);

    private static readonly SemaphoreSlim Gate = new(Capacity, Capacity);

    /// <summary>Takes a slot, recording how long the scrape waited for it (<see cref="SlotWaitMeter.Scrapes"/>).</summary>
    public static async Task WaitAsync(CancellationToken cancellationToken)
    {
        if (Gate.Wait(0, CancellationToken.None))
        {
            SlotWaitMeter.Scrapes.Record(TimeSpan.Zero);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            SlotWaitMeter.Scrapes.RecordSince(started);
        }
    }

    public static void Release() => Gate.Release();

    /// <summary>Scrapes in flight now.</summary>
    public static int InFlight => Capacity - Gate.CurrentCount;
}
