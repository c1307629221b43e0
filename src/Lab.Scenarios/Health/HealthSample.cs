namespace OtelLab.Scenarios.Health;

/// <summary>One second of the simulator's health: what each signal showed, which limits it broke, and the verdict.</summary>
public sealed record HealthSample
{
    /// <summary>Wall-clock time of the sample.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The lab clock's scale while the sample was taken.</summary>
    public required double Scale { get; init; }

    /// <summary>Lab timers that fired in the sample's second.</summary>
    public long TimersFired { get; init; }

    /// <summary>Their mean lateness against their due time (wall time).</summary>
    public TimeSpan TimerLatenessMean { get; init; }

    /// <summary>The latest timer of the second.</summary>
    public TimeSpan TimerLatenessMax { get; init; }

    public long ScrapeSlotWaits { get; init; }

    public TimeSpan ScrapeSlotWaitMean { get; init; }

    public TimeSpan ScrapeSlotWaitMax { get; init; }

    public long ExportQueueWaits { get; init; }

    public TimeSpan ExportQueueWaitMean { get; init; }

    public TimeSpan ExportQueueWaitMax { get; init; }

    public long PendingWorkItems { get; init; }

    public int ThreadPoolThreads { get; init; }

    /// <summary>How long the thread pool's probe work item waited to run.</summary>
    public TimeSpan ThreadPoolProbeDelay { get; init; }

    /// <summary>Share of the second the GC paused the process (0–1).</summary>
    public double GcPauseShare { get; init; }

    /// <summary>Cores the process kept busy over the second (CPU time / wall time).</summary>
    public double CoresBusy { get; init; }

    /// <summary>The signals over their limit, e.g. "timer lateness max 1.2 s > 300 ms" (empty: within tolerance).</summary>
    public IReadOnlyList<string> Breaches { get; init; } = [];

    /// <summary>The verdict over the window ending with this sample.</summary>
    public required SimulationHealthState State { get; init; }
}

/// <summary>Whether the simulator keeps its own schedule.</summary>
public enum SimulationHealthState
{
    /// <summary>Within tolerance: what the lab measures is the pipeline.</summary>
    Healthy,

    /// <summary>Behind its own schedule beyond tolerance: timing measured now is the simulator's, not the pipeline's.</summary>
    Behind,
}
