using System.Diagnostics;
using OtelLab.Model.Time;
using OtelLab.Sim.Collector;

namespace OtelLab.Scenarios.Health.Internal;

/// <summary>
/// The running process's signals. Starvation is measured with a probe: every reading queues one work item stamped with
/// the wall clock; the next reading takes the delay it saw before it ran (or, when it still has not run, how long it
/// has been waiting so far), which is what every timer callback and socket continuation waited too.
/// </summary>
internal sealed class ProcessHealthSignals(LabClock clock) : IHealthSignalSource
{
    private readonly Process _process = Process.GetCurrentProcess();
    private long _probeQueued;
    private long _probeDelayTicks;
    private int _probePending;

    public int Cores => Environment.ProcessorCount;

    public HealthSignals Read()
    {
        _process.Refresh();
        var delay = Volatile.Read(ref _probePending) == 1
            ? Stopwatch.GetElapsedTime(Volatile.Read(ref _probeQueued))
            : TimeSpan.FromTicks(Volatile.Read(ref _probeDelayTicks));
        if (Interlocked.CompareExchange(ref _probePending, 1, 0) == 0)
        {
            Volatile.Write(ref _probeQueued, Stopwatch.GetTimestamp());
            ThreadPool.UnsafeQueueUserWorkItem(static self => self.ProbeRan(), this, preferLocal: false);
        }

        return new HealthSignals(
            clock.TakeLateness(),
            GC.GetTotalPauseDuration(),
            _process.TotalProcessorTime,
            ThreadPool.PendingWorkItemCount,
            ThreadPool.ThreadCount,
            delay,
            SlotWaitMeter.Scrapes.Take(),
            SlotWaitMeter.Exports.Take());
    }

    private void ProbeRan()
    {
        Volatile.Write(ref _probeDelayTicks, Stopwatch.GetElapsedTime(Volatile.Read(ref _probeQueued)).Ticks);
        Volatile.Write(ref _probePending, 0);
    }
}
