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

    public TimeScaleController(LabClock clock, SimulationHealthMonitor monitor, bool forced)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(monitor);
        _clock = clock;
        _monitor = monitor;
        _forced = forced;
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
        _samplesSinceChange++;
        if (sample.State != SimulationHealthState.Behind)
        {
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        var why = string.Create(inv, $"the simulator is behind by {SimulationHealthSummary.Format(SimulationHealthMonitor.SlipOf(sample))} ({string.Join("; ", sample.Breaches)})");
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
