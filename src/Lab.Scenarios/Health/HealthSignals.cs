using OtelLab.Model.Time;
using OtelLab.Sim.Collector;

namespace OtelLab.Scenarios.Health;

/// <summary>
/// One reading of what the process itself shows about its load: totals that only grow (GC pause, CPU time), levels
/// (pending work items, pool threads, the probe's queue delay) and the slot waits since the last reading.
/// </summary>
/// <param name="TimerLateness">How late the lab clock's timers fired since the last reading (<see cref="LabClock.TakeLateness"/>).</param>
/// <param name="GcPauseTotal">Total time the GC has paused the process (<see cref="GC.GetTotalPauseDuration"/>).</param>
/// <param name="CpuTotal">Total CPU time of the process, user and system.</param>
/// <param name="PendingWorkItems">Work items queued on the thread pool, not yet running.</param>
/// <param name="ThreadPoolThreads">Threads in the thread pool.</param>
/// <param name="ProbeDelay">How long the last probe work item waited in the thread pool's queue before it ran (starvation).</param>
/// <param name="ScrapeWaits">Scrapes' waits for a scrape slot since the last reading.</param>
/// <param name="ExportWaits">Export requests' waits in the sending queues since the last reading.</param>
public readonly record struct HealthSignals(
    TimerLatenessWindow TimerLateness,
    TimeSpan GcPauseTotal,
    TimeSpan CpuTotal,
    long PendingWorkItems,
    int ThreadPoolThreads,
    TimeSpan ProbeDelay,
    SlotWaitWindow ScrapeWaits,
    SlotWaitWindow ExportWaits);

/// <summary>Where the health monitor reads the process's signals (the process itself, or a test's scripted readings).</summary>
public interface IHealthSignalSource
{
    /// <summary>The cores the process shares (to turn CPU time into cores busy).</summary>
    int Cores { get; }

    /// <summary>Reads the signals now; cheap (called once a wall second).</summary>
    HealthSignals Read();
}
