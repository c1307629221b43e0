using System.Diagnostics;
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

    /// <summary>How long checks that wait for data may wait (the scenario's dataWithin unless the run overrides it).</summary>
    public required TimeSpan DataWithin { get; init; }

    /// <summary>
    /// How long a check may still wait for data. dataWithin is "the first data within X of the lab being ready", so it
    /// counts once, from the start of the run's checks (<see cref="ScenarioRunner"/> starts the clock), not again in
    /// every check: on the guide as written, where nothing ever arrives, ten checks each waiting the full 35 s made
    /// `test --scenario payments` run past 10 minutes. A check still gets <see cref="MinimumDataWait"/> (or dataWithin
    /// when shorter) to accumulate what it counts.
    /// </summary>
    public TimeSpan DataWait =>
        _dataClock is { } started
            ? TimeSpan.FromTicks(Math.Max((DataWithin - Stopwatch.GetElapsedTime(started)).Ticks, Math.Min(DataWithin.Ticks, MinimumDataWait.Ticks)))
            : DataWithin;

    /// <summary>Starts the dataWithin clock (once; later calls keep the first start).</summary>
    public void StartDataClock() => _dataClock ??= Stopwatch.GetTimestamp();
}
