using OtelLab.Model.Time;
using OtelLab.Scenarios.Health;
using OtelLab.Sim.Collector;

namespace OtelLab.Tests.Scenarios.Health;

/// <summary>Signals a test sets before each sample: the lateness and waits of the next second, CPU and GC per second.</summary>
internal sealed class ScriptedHealthSignals : IHealthSignalSource
{
    private TimeSpan _cpu;
    private TimeSpan _gc;

    public int Cores => 2;

    /// <summary>The worst timer lateness of the next reading (one timer fired that late, nine on time).</summary>
    public TimeSpan Lateness { get; set; }

    public TimeSpan ScrapeWait { get; set; }

    public TimeSpan ExportWait { get; set; }

    public TimeSpan ProbeDelay { get; set; }

    /// <summary>CPU time the process spends per reading.</summary>
    public TimeSpan CpuPerReading { get; set; }

    public TimeSpan GcPerReading { get; set; }

    public HealthSignals Read()
    {
        _cpu += CpuPerReading;
        _gc += GcPerReading;
        return new HealthSignals(
            new TimerLatenessWindow(10, Lateness, Lateness),
            _gc,
            _cpu,
            PendingWorkItems: 0,
            ThreadPoolThreads: 4,
            ProbeDelay,
            new SlotWaitWindow(ScrapeWait > TimeSpan.Zero ? 5 : 0, ScrapeWait * 5, ScrapeWait),
            new SlotWaitWindow(ExportWait > TimeSpan.Zero ? 2 : 0, ExportWait * 2, ExportWait));
    }
}
