using System.Globalization;
using OtelLab.Model.Time;
using OtelLab.Scenarios.Health.Internal;

namespace OtelLab.Scenarios.Health;

/// <summary>
/// Watches whether the simulator keeps its own schedule, once a wall second and cheaply (a handful of counters read,
/// one work item queued): the lab clock's timer lateness, the time scrapes and exports wait for a slot, thread-pool
/// queue length and starvation, GC pauses and CPU. <see cref="SimulationHealthTolerance"/> turns them into Healthy or
/// Behind; the live views show the samples, <see cref="Summary"/> goes into the reports and decides whether the run's
/// timing verdicts can be trusted. Driven by the wall clock it is given, so tests drive it with a manual one.
/// </summary>
public sealed class SimulationHealthMonitor
{
    private const int HistoryLength = 900;
    private readonly LabClock _clock;
    private readonly IHealthSignalSource _signals;
    private readonly TimeProvider _wall;
    private readonly Lock _gate = new();
    private readonly Queue<bool> _window = new();
    private readonly Queue<HealthSample> _history = new();
    private readonly DateTimeOffset _started;
    private HealthSignals _last;
    private DateTimeOffset _lastAt;
    private HealthSample? _latest;
    private int _samples;
    private int _behindSamples;
    private TimeSpan? _firstBehind;
    private TimeSpan _behindBy;
    private IReadOnlyList<string> _worstBreaches = [];
    private TimeSpan _worstLateness;
    private TimeSpan _worstScrapeWait;
    private TimeSpan _worstExportWait;
    private TimeSpan _worstProbe;
    private long _maxPending;
    private TimeSpan _cpu;
    private TimeSpan _gc;

    /// <summary>A monitor of the running process for the lab on <paramref name="clock"/>.</summary>
    public SimulationHealthMonitor(LabClock clock, SimulationHealthTolerance? tolerance = null)
        : this(clock, new ProcessHealthSignals(clock), tolerance, clock?.Real)
    {
    }

    /// <summary>A monitor reading <paramref name="signals"/> on the wall clock <paramref name="wall"/> (the clock's own by default).</summary>
    public SimulationHealthMonitor(LabClock clock, IHealthSignalSource signals, SimulationHealthTolerance? tolerance = null, TimeProvider? wall = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(signals);
        _clock = clock;
        _signals = signals;
        Tolerance = tolerance ?? SimulationHealthTolerance.Default;
        _wall = wall ?? clock.Real;
        _started = _lastAt = _wall.GetUtcNow();
        // The baseline: totals count from here, and the slot and lateness windows start empty.
        _last = signals.Read();
    }

    public SimulationHealthTolerance Tolerance { get; }

    /// <summary>Raised after every sample (on the sampling thread).</summary>
    public event Action<HealthSample>? Sampled;

    /// <summary>Raised when the verdict changes: (previous, sample with the new verdict).</summary>
    public event Action<SimulationHealthState, HealthSample>? StateChanged;

    /// <summary>The latest sample, or null before the first.</summary>
    public HealthSample? Latest => Volatile.Read(ref _latest);

    /// <summary>The verdict now (Healthy before the first sample).</summary>
    public SimulationHealthState State => Latest?.State ?? SimulationHealthState.Healthy;

    /// <summary>The last samples (at most 15 minutes' worth), oldest first.</summary>
    public IReadOnlyList<HealthSample> History()
    {
        lock (_gate)
        {
            return [.. _history];
        }
    }

    /// <summary>Samples once a wall second until <paramref name="cancellationToken"/> is cancelled; never throws for what it reads.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1), _wall);
        try
        {
            while (await tick.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
            // the lab is stopping
        }
    }

    /// <summary>Takes one sample now: the signals since the previous one, judged against the tolerance.</summary>
    public HealthSample Sample()
    {
        HealthSample sample;
        SimulationHealthState previous;
        lock (_gate)
        {
            var now = _wall.GetUtcNow();
            var s = _signals.Read();
            var elapsed = now - _lastAt;
            var scale = _clock.Scale;
            var cpu = s.CpuTotal - _last.CpuTotal;
            var gc = s.GcPauseTotal - _last.GcPauseTotal;
            var breaches = Breaches(s, scale);
            _window.Enqueue(breaches.Count > 0);
            while (_window.Count > Tolerance.Window)
            {
                _window.Dequeue();
            }

            previous = _latest?.State ?? SimulationHealthState.Healthy;
            sample = new HealthSample
            {
                At = now,
                Scale = scale,
                TimersFired = s.TimerLateness.Fired,
                TimerLatenessMean = s.TimerLateness.Mean,
                TimerLatenessMax = s.TimerLateness.Max,
                ScrapeSlotWaits = s.ScrapeWaits.Count,
                ScrapeSlotWaitMean = s.ScrapeWaits.Mean,
                ScrapeSlotWaitMax = s.ScrapeWaits.Max,
                ExportQueueWaits = s.ExportWaits.Count,
                ExportQueueWaitMean = s.ExportWaits.Mean,
                ExportQueueWaitMax = s.ExportWaits.Max,
                PendingWorkItems = s.PendingWorkItems,
                ThreadPoolThreads = s.ThreadPoolThreads,
                ThreadPoolProbeDelay = s.ProbeDelay,
                GcPauseShare = elapsed > TimeSpan.Zero ? Math.Clamp(gc / elapsed, 0, 1) : 0,
                CoresBusy = elapsed > TimeSpan.Zero ? Math.Max(0, cpu / elapsed) : 0,
                Breaches = breaches,
                State = _window.Count(b => b) >= Tolerance.BreachesToBehind ? SimulationHealthState.Behind : SimulationHealthState.Healthy,
            };
            Tally(sample, now, cpu, gc);
            _last = s;
            _lastAt = now;
            _history.Enqueue(sample);
            while (_history.Count > HistoryLength)
            {
                _history.Dequeue();
            }

            Volatile.Write(ref _latest, sample);
        }

        Sampled?.Invoke(sample);
        if (previous != sample.State)
        {
            StateChanged?.Invoke(previous, sample);
        }

        return sample;
    }

    /// <summary>The run so far.</summary>
    public SimulationHealthSummary Summary()
    {
        lock (_gate)
        {
            var wall = _lastAt - _started;
            var scale = _clock.Scale;
            return new SimulationHealthSummary
            {
                Samples = _samples,
                BehindSamples = _behindSamples,
                State = _latest?.State ?? SimulationHealthState.Healthy,
                FirstBehindAfter = _firstBehind,
                BehindBy = _behindBy,
                WorstTimerLateness = _worstLateness,
                WorstScrapeSlotWait = _worstScrapeWait,
                WorstExportQueueWait = _worstExportWait,
                WorstThreadPoolProbeDelay = _worstProbe,
                MaxPendingWorkItems = _maxPending,
                MeanCoresBusy = wall > TimeSpan.Zero ? _cpu / wall : 0,
                GcPauseShare = wall > TimeSpan.Zero ? _gc / wall : 0,
                LatenessLimit = Tolerance.LatenessLimit(scale),
                SlotWaitLimit = Tolerance.SlotWaitLimit(scale),
                WorstBreaches = _worstBreaches,
            };
        }
    }

    /// <summary>How far behind one sample shows the simulator: its worst slip of timers, queued work or slot waits.</summary>
    public static TimeSpan SlipOf(HealthSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return new[] { sample.TimerLatenessMax, sample.ThreadPoolProbeDelay, sample.ScrapeSlotWaitMean }.Max();
    }

    private List<string> Breaches(HealthSignals s, double scale)
    {
        var lateness = Tolerance.LatenessLimit(scale);
        var slot = Tolerance.SlotWaitLimit(scale);
        var breaches = new List<string>(4);
        if (s.TimerLateness.Max > lateness)
        {
            breaches.Add($"lab timers fired up to {SimulationHealthSummary.Format(s.TimerLateness.Max)} late (limit {SimulationHealthSummary.Format(lateness)})");
        }

        if (s.ProbeDelay > lateness)
        {
            breaches.Add($"thread-pool work waited {SimulationHealthSummary.Format(s.ProbeDelay)} to run (limit {SimulationHealthSummary.Format(lateness)}; {s.PendingWorkItems.ToString("N0", CultureInfo.InvariantCulture)} queued)");
        }

        if (s.ScrapeWaits.Mean > slot)
        {
            breaches.Add($"scrapes waited {SimulationHealthSummary.Format(s.ScrapeWaits.Mean)} for a slot on average (limit {SimulationHealthSummary.Format(slot)})");
        }

        // Export queue waits are shown, not judged: a sending queue also fills when a backend is slow or down and the
        // consumers sit in retry back-off (upstream behaviour the lab is there to show), so a long wait there is not by
        // itself the simulator's. The scrape slots exist only because the lab shares one process.
        return breaches;
    }

    private void Tally(HealthSample sample, DateTimeOffset now, TimeSpan cpu, TimeSpan gc)
    {
        _samples++;
        _cpu += cpu;
        _gc += gc;
        _worstLateness = Max(_worstLateness, sample.TimerLatenessMax);
        _worstScrapeWait = Max(_worstScrapeWait, sample.ScrapeSlotWaitMax);
        _worstExportWait = Max(_worstExportWait, sample.ExportQueueWaitMax);
        _worstProbe = Max(_worstProbe, sample.ThreadPoolProbeDelay);
        _maxPending = Math.Max(_maxPending, sample.PendingWorkItems);
        if (sample.State != SimulationHealthState.Behind)
        {
            return;
        }

        _behindSamples++;
        _firstBehind ??= now - _started;
        var slip = SlipOf(sample);
        if (slip >= _behindBy)
        {
            _behindBy = slip;
            _worstBreaches = sample.Breaches.Count > 0 ? sample.Breaches : _worstBreaches;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
