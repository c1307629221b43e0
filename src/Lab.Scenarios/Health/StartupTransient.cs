using OtelLab.Model.Time;

namespace OtelLab.Scenarios.Health;

/// <summary>
/// When the lab's start-up transient is over, for the <see cref="TimeScaleController"/>: its workloads are Ready, and
/// the farm's first scrape round has completed or two scrape intervals have passed since they were. A target's first
/// scrape costs the lab more than its later ones (a new connection, and a new series in the receiver's cache, the
/// gateway and both backends), so the first round is a one-time backlog like the pods' start: measured at 9,000 targets
/// at timeScale 6 on 2 cores, the simulator read behind in the first sample after start-up (timers up to 430-484 ms
/// late) and healthy from the next, with the round complete 12.7-13.7 s after the first resource started; halving the
/// scale for it stretched every target not yet scraped to twice its offset (rounds of 16.5-17.3 s). The bound keeps
/// a round that cannot complete at this scale from holding the controller off: it then judges as before.
/// </summary>
public sealed class StartupTransient
{
    private readonly Func<bool> _startedUp;
    private readonly Func<bool> _firstRoundDone;
    private readonly LabClock _clock;
    private readonly TimeProvider _wall;
    private long? _startedAt;

    /// <param name="startedUp">Whether every workload is Ready.</param>
    /// <param name="firstRoundDone">Whether the farm's first scrape round has completed (true when the lab has no farm).</param>
    /// <param name="clock">The lab clock, whose scale turns the intervals into wall time.</param>
    /// <param name="wall">The wall clock the samples run on.</param>
    public StartupTransient(Func<bool> startedUp, Func<bool> firstRoundDone, LabClock clock, TimeProvider? wall = null)
    {
        ArgumentNullException.ThrowIfNull(startedUp);
        ArgumentNullException.ThrowIfNull(firstRoundDone);
        ArgumentNullException.ThrowIfNull(clock);
        _startedUp = startedUp;
        _firstRoundDone = firstRoundDone;
        _clock = clock;
        _wall = wall ?? TimeProvider.System;
    }

    /// <summary>Scrape intervals after start-up that the first round is waited for at most.</summary>
    public const int FirstRoundIntervalsAtMost = 2;

    /// <summary>True once the start-up and the first scrape round are over (or the round outlived its bound).</summary>
    public bool IsOver()
    {
        if (!_startedUp())
        {
            return false;
        }

        _startedAt ??= _wall.GetTimestamp();
        if (_firstRoundDone())
        {
            return true;
        }

        var bound = _clock.ToWallTime(Definition.ScrapeBudget.ScrapeInterval * FirstRoundIntervalsAtMost);
        return _wall.GetElapsedTime(_startedAt.Value) >= bound;
    }
}
