using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Definition;

namespace OtelLab.Scenarios.Checks;

/// <summary>What a check judges: the scenario, its manifests and, for dynamic checks, the running lab.</summary>
public sealed class CheckContext
{
    public required ScenarioDefinition Scenario { get; init; }

    public required ManifestSet Manifests { get; init; }

    /// <summary>The running lab (null for a static-only run).</summary>
    public SimLab? Lab { get; init; }

    /// <summary>Shortest wait a check still gets once dataWithin has run out: time to accumulate after data arrived.</summary>
    public static readonly TimeSpan MinimumDataWait = TimeSpan.FromSeconds(10);

    private long? _dataClock;

    /// <summary>The clock dataWithin is measured on: the lab clock of a running lab (lab time), else the wall clock.</summary>
    private TimeProvider Time => (TimeProvider?)Lab?.Clock ?? TimeProvider.System;

    /// <summary>How long checks that wait for data may wait (the scenario's dataWithin unless the run overrides it).</summary>
    public required TimeSpan DataWithin { get; init; }

    /// <summary>
    /// How long (wall time) a check may still wait for data. dataWithin is lab time: at timeScale 10, 35 s of lab time
    /// pass in 3.5 s of wall time, and the wait is the lab time left converted at the clock's current scale. dataWithin is "the first data within X of the lab being ready", so it
    /// counts once, from the start of the run's checks (<see cref="ScenarioRunner"/> starts the clock), not again in
    /// every check: on the guide as written, where nothing ever arrives, ten checks each waiting the full 35 s made
    /// `test --scenario payments` run past 10 minutes. A check still gets <see cref="MinimumDataWait"/> (or dataWithin
    /// when shorter) to accumulate what it counts.
    /// </summary>
    public TimeSpan DataWait => WallTime(
        _dataClock is { } started
            ? TimeSpan.FromTicks(Math.Max((DataWithin - Time.GetElapsedTime(started)).Ticks, Math.Min(DataWithin.Ticks, MinimumDataWait.Ticks)))
            : DataWithin);

    /// <summary>The wall time a lab-time span takes at the lab clock's current scale (itself without a running lab).</summary>
    public TimeSpan WallTime(TimeSpan labTime) => Lab?.Clock.ToWallTime(labTime) ?? labTime;

    /// <summary>
    /// How long (wall time) a check waits for the pipeline to settle (drain, decide, deliver) over a lab-time span: that
    /// span at the clock's scale, but never less than <see cref="MinimumSettleWait"/> of wall time, because draining is
    /// real work on real sockets that a faster lab clock does not speed up. A check stops waiting as soon as what it
    /// waits for holds, so the floor costs time only when the pipeline never settles.
    /// </summary>
    public TimeSpan SettleWait(TimeSpan labTime)
    {
        var wall = WallTime(labTime);
        return wall < MinimumSettleWait ? MinimumSettleWait : wall;
    }

    /// <summary>The shortest wall time a check gives the pipeline to settle.</summary>
    public static readonly TimeSpan MinimumSettleWait = TimeSpan.FromSeconds(10);

    /// <summary>Starts the dataWithin clock (once; later calls keep the first start).</summary>
    public void StartDataClock() => _dataClock ??= Time.GetTimestamp();
}
