using System.Globalization;

namespace OtelLab.Scenarios.Health;

/// <summary>The simulator's health over a whole run, for the reports, the trust verdicts and the end of <c>up</c>.</summary>
public sealed record SimulationHealthSummary
{
    /// <summary>Wall-clock seconds sampled.</summary>
    public int Samples { get; init; }

    /// <summary>Samples taken while the simulator was behind.</summary>
    public int BehindSamples { get; init; }

    /// <summary>The verdict now.</summary>
    public SimulationHealthState State { get; init; }

    /// <summary>True when the simulator was behind beyond tolerance at any time of the run: its timing verdicts are not trustworthy.</summary>
    public bool Degraded => BehindSamples > 0;

    /// <summary>When it first fell behind (wall time since sampling began), or null.</summary>
    public TimeSpan? FirstBehindAfter { get; init; }

    /// <summary>The worst timer lateness while behind (zero when never behind): "behind by".</summary>
    public TimeSpan BehindBy { get; init; }

    public TimeSpan WorstTimerLateness { get; init; }

    public TimeSpan WorstScrapeSlotWait { get; init; }

    public TimeSpan WorstExportQueueWait { get; init; }

    public TimeSpan WorstThreadPoolProbeDelay { get; init; }

    public long MaxPendingWorkItems { get; init; }

    /// <summary>Mean cores busy over the run.</summary>
    public double MeanCoresBusy { get; init; }

    /// <summary>Share of the run's wall time the GC paused the process.</summary>
    public double GcPauseShare { get; init; }

    /// <summary>The limits the run was judged by, at the scale it ended on.</summary>
    public TimeSpan LatenessLimit { get; init; }

    public TimeSpan SlotWaitLimit { get; init; }

    /// <summary>The breaches of the worst sample while behind, e.g. "timer lateness max 2.3 s > 300 ms".</summary>
    public IReadOnlyList<string> WorstBreaches { get; init; } = [];

    /// <summary>One line: "healthy (…)" or "behind by 2.3 s for 31 of 40 s (…)".</summary>
    public string Describe() => Degraded
        ? string.Create(CultureInfo.InvariantCulture, $"behind by {Format(BehindBy)} for {BehindSamples} of {Samples} s (first after {FirstBehindAfter?.TotalSeconds ?? 0:0} s; ")
            + (WorstBreaches.Count > 0 ? string.Join(", ", WorstBreaches) : "")
            + string.Create(CultureInfo.InvariantCulture, $"; {MeanCoresBusy:0.0} cores busy on average)")
        : string.Create(CultureInfo.InvariantCulture, $"healthy for {Samples} s (worst timer lateness {Format(WorstTimerLateness)}, limit {Format(LatenessLimit)}, never exceeded in 3 of 5 consecutive samples; worst scrape slot wait {Format(WorstScrapeSlotWait)}, {MeanCoresBusy:0.0} cores busy on average)");

    /// <summary>A duration as people read it: "850 ms", "2.3 s".</summary>
    public static string Format(TimeSpan t) => t < TimeSpan.FromSeconds(1)
        ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s");
}
