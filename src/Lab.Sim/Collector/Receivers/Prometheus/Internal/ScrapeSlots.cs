using OtelLab.Sim.Networking;

namespace OtelLab.Sim.Collector.Receivers.Prometheus.Internal;

/// <summary>
/// In-flight scrapes of every prometheus receiver in the lab's process. Upstream has no such limit (each target has at
/// most one scrape in flight, each replica its own process); here every replica and every farm target share one
/// process and its open-file limit, and a scrape holds two descriptors (the scraper's socket and the target's accepted
/// one) next to 9,000 listening sockets: in-flight scrapes get at most 40 % of the open-file limit. A scrape that
/// waits for a slot spends its own scrape timeout waiting, so overload shows as late or failed scrapes (<c>up</c> 0,
/// "context deadline exceeded"), what an overloaded Prometheus shows.
/// Not enough on its own (measured 2026-11-24, 9,000 targets at timeScale 10 on 2 cores): accepted connections whose
/// request the starved farm has not read yet are not scrapes in flight, and the process still reached 20,000
/// descriptors and aborted ("Out of memory.").
/// </summary>
internal static class ScrapeSlots
{
    /// <summary>One fifth of the descriptor limit (two descriptors each: 40 %), at least 64; 4,000 at 20,000.</summary>
    public static readonly int Capacity = (int)Math.Clamp((DescriptorBudget.SoftLimit() ?? 20_000) / 5, 64, 100_000);

    private static readonly SemaphoreSlim Gate = new(Capacity, Capacity);

    public static Task WaitAsync(CancellationToken cancellationToken) => Gate.WaitAsync(cancellationToken);

    public static void Release() => Gate.Release();

    /// <summary>Scrapes in flight now.</summary>
    public static int InFlight => Capacity - Gate.CurrentCount;
}
