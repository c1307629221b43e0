using System.Globalization;
using OtelLab.Model.Time;

namespace OtelLab.Scenarios.Health;

/// <summary>
/// Slows the lab when the simulator falls behind mid-run, as the measured budget does at start: every target and
/// scraper share one process, so the scrape load is proportional to the time scale, and lowering it is the one lever
/// that brings the simulator back on schedule without changing the scenario. Halves the scale (rounded down to one
/// decimal, never below <see cref="Slowest"/>) each time the monitor says Behind, then waits a full health window at
/// the new scale before judging again, so it does not react to its own transition. With a forced scale
/// (<c>up --time-scale</c>) it only says that the lab is behind and that it keeps the scale. Never raises the scale.
/// It judges from the end of the lab's start-up (<see cref="StartupTransient"/> in the lab: the workloads Ready and the
/// farm's first scrape round done): starting thousands of pods queues work the scale has no part in, and halving the
/// scale for it left a 9,000-target lab at half its rate for the rest of the run (measured: behind by 1.6-1.9 s with
/// 5,000-7,000 work items queued while the pods started, healthy once they had).
/// </summary>
public sealed class TimeScaleController : IDisposable
{
    /// <summary>The slowest the lab runs (as the budget at start).</summary>
    public const double Slowest = 0.1;

    private readonly LabClock _clock;
    private readonly SimulationHealthMonitor _monitor;
    private readonly bool _forced;
    private int _samplesSinceChange;
    private bool _saidForced;

    /// <summary>Samples the controller waits for a start-up that does not end (a pod that never gets Ready) before judging anyway.</summary>
    public const int StartupSamplesAtMost = 60;

    private readonly Func<bool> _startedUp;
    private int _startupSamples;
    private HealthSample? _lastBreaching;

    /// <param name="clock">The lab clock whose scale is lowered.</param>
    /// <param name="monitor">The health monitor whose samples are judged.</param>
    /// <param name="forced">The scale was forced: say, never change.</param>
    /// <param name="startedUp">Whether the lab's start-up is over (every workload Ready); null: from the first sample.</param>
    public TimeScaleController(LabClock clock, SimulationHealthMonitor monitor, bool forced, Func<bool>? startedUp = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(monitor);
        _clock = clock;
        _monitor = monitor;
        _forced = forced;
        _startedUp = startedUp ?? (static () => true);
        _samplesSinceChange = monitor.Tolerance.Window;
        monitor.Sampled += OnSampled;
    }

    /// <summary>What the controller did or decided not to do, as one line for the console and the log.</summary>
    public event Action<string>? Said;

    /// <summary>Scale changes made so far: (wall time, from, to).</summary>
    public IReadOnlyList<(DateTimeOffset At, double From, double To)> Changes => [.. _changes];

    private readonly List<(DateTimeOffset, double, double)> _changes = [];

    public void Dispose() => _monitor.Sampled -= OnSampled;

    private void OnSampled(HealthSample sample)
    {
        // The window can be behind on earlier samples while the latest breached nothing: say what the last breach was.
        if (sample.Breaches.Count > 0)
        {
            _lastBreaching = sample;
        }

        if (!_forced && _startupSamples < StartupSamplesAtMost && !_startedUp())
        {
            // A full window after start-up is judged on its own, not on the start-up's backlog.
            _startupSamples++;
            _samplesSinceChange = 0;
            return;
        }

        _samplesSinceChange++;
        if (sample.State != SimulationHealthState.Behind)
        {
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        var reason = sample.Breaches.Count > 0 ? sample : _lastBreaching ?? sample;
        var why = string.Create(inv, $"the simulator is behind by {SimulationHealthSummary.Format(SimulationHealthMonitor.SlipOf(reason))} ({string.Join("; ", reason.Breaches)})");
        if (_forced)
        {
            if (!_saidForced)
            {
                _saidForced = true;
                Said?.Invoke(string.Create(inv, $"Simulation health: {why}; timeScale {_clock.Scale:0.##} is forced (--time-scale), so it stays: timing verdicts from here are the simulator's, not the pipeline's."));
            }

            return;
        }

        if (_samplesSinceChange < _monitor.Tolerance.Window)
        {
            return;
        }

        var from = _clock.Scale;
        var to = Math.Max(Slowest, Math.Floor(from / 2 * 10) / 10);
        if (to >= from)
        {
            if (!_saidForced)
            {
                _saidForced = true;
                Said?.Invoke(string.Create(inv, $"Simulation health: {why}; already at the slowest timeScale ({from:0.##}): run fewer targets or a smaller shape."));
            }

            return;
        }

        _clock.SetScale(to);
        _samplesSinceChange = 0;
        lock (_changes)
        {
            _changes.Add((sample.At, from, to));
        }

        Said?.Invoke(string.Create(inv, $"Simulation health: {why}; lowering timeScale {from:0.##} → {to:0.##} (scrapes every {Definition.ScrapeBudget.ScrapeInterval.TotalSeconds / to:0.#} s)."));
    }
}
