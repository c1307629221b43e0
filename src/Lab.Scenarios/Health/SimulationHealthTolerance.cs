namespace OtelLab.Scenarios.Health;

/// <summary>
/// When the simulator counts as behind its own schedule. The verdicts the lab's timing checks give (start-up and the
/// first scrape round, who scraped which target, keep rates under rate limits, data within dataWithin, send failures
/// from timeouts) all rest on the lab's timers firing when due and on scrapes and exports not waiting on the simulator;
/// these limits say how much slip still leaves them meaningful.
/// </summary>
/// <remarks>
/// <para>
/// Timer lateness and the thread-pool probe's queue delay: at most <see cref="IntervalFraction"/> (10 %) of the
/// scrape interval in wall time (30 s / timeScale: 3 s at timeScale 10, so 300 ms). A scrape round stretched by more
/// than a tenth no longer matches the interval the pipeline is judged at: series per replica, rounds complete and
/// per-interval rates drift by more than the 10 % the lab's rate comparisons allow themselves. Never below
/// <see cref="Floor"/> (100 ms): what the scheduler of a machine shared with builds adds anyway (a time slice under a
/// loaded CFS run queue is tens of ms), which says nothing about the simulator.
/// </para>
/// <para>
/// Scrape slot waits (a scrape waiting for one of the in-flight slots the whole process shares): at most <see cref="TimeoutFraction"/> (25 %) of the scrape timeout in wall time (10 s / timeScale). A scrape
/// spends its own timeout waiting for a slot, so a quarter of it gone before the request is sent is where "context
/// deadline exceeded" starts to come from the simulator rather than from the target. Waits in an exporter's sending
/// queue are shown but not judged: a queue also fills when a backend is slow or down (the pipeline's behaviour).
/// </para>
/// <para>
/// One slow second (a GC, a compile on the shared machine) is not "behind": a sample breaches when any signal is over its
/// limit, and the simulator is behind while <see cref="BreachesToBehind"/> of the last <see cref="Window"/> one-second
/// samples breach (a majority).
/// </para>
/// </remarks>
public sealed record SimulationHealthTolerance
{
    /// <summary>The tolerance the lab runs with.</summary>
    public static SimulationHealthTolerance Default { get; } = new();

    /// <summary>The scrape interval the limits are fractions of (the TA's prometheus_cr default, 30 s of lab time).</summary>
    public TimeSpan ScrapeInterval { get; init; } = Definition.ScrapeBudget.ScrapeInterval;

    /// <summary>The scrape timeout slot waits are fractions of (Prometheus' default scrape_timeout, 10 s of lab time).</summary>
    public TimeSpan ScrapeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public double IntervalFraction { get; init; } = 0.10;

    public double TimeoutFraction { get; init; } = 0.25;

    /// <summary>The smallest lateness limit, whatever the scale.</summary>
    public TimeSpan Floor { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Samples (one a wall second) the verdict looks back over.</summary>
    public int Window { get; init; } = 5;

    /// <summary>Breaching samples in the window that make the simulator behind.</summary>
    public int BreachesToBehind { get; init; } = 3;

    /// <summary>The most a lab timer may fire late (wall time) at <paramref name="scale"/>.</summary>
    public TimeSpan LatenessLimit(double scale) => Max(Floor, ScrapeInterval * IntervalFraction / scale);

    /// <summary>The longest mean slot wait (wall time) at <paramref name="scale"/>.</summary>
    public TimeSpan SlotWaitLimit(double scale) => Max(Floor, ScrapeTimeout * TimeoutFraction / scale);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
