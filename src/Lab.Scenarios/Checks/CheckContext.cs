using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Definition;

namespace OtelLab.Scenarios.Checks;

/// <summary>What a check judges: the scenario, its manifests and, for dynamic checks, the running lab.</summary>
public sealed class CheckContext
{
    public required ScenarioDefinition Scenario { get; init; }

    public required ManifestSet Manifests { get; init; }

    /// <summary>The running lab (null for a static-only run, and for a run through <see cref="Cluster"/> alone).</summary>
    public SimLab? Lab { get; init; }

    /// <summary>
    /// The cluster through its API when the run judges it as an outside client (k3s, or the sim's API server driven as
    /// k3s is): the checks <see cref="OnCluster.ClusterScenarioRunner"/> runs read it instead of the sim's internals.
    /// </summary>
    public OtelLab.Scenarios.Cluster.ICluster? Cluster { get; init; }

    private readonly string? _kubeconfig;
    private readonly string? _workDirectory;
    private readonly IReadOnlyList<Backends.IMockBackend>? _backends;

    /// <summary>The kubeconfig kubectl steps use: the one given, else the running lab's.</summary>
    public string? Kubeconfig
    {
        get => _kubeconfig ?? Lab?.KubeconfigPath;
        init => _kubeconfig = value;
    }

    /// <summary>Where checks keep scratch files (kubectl's HOME): the one given, else the running lab's.</summary>
    public string? WorkDirectory
    {
        get => _workDirectory ?? Lab?.WorkDirectory;
        init => _workDirectory = value;
    }

    /// <summary>The mock backends whose stores the backend checks read: the ones given, else the running lab's.</summary>
    public IReadOnlyList<Backends.IMockBackend> Backends
    {
        get => _backends ?? Lab?.Backends ?? [];
        init => _backends = value;
    }

    /// <summary>Shortest wait a check still gets once dataWithin has run out: time to accumulate after data arrived.</summary>
    public static readonly TimeSpan MinimumDataWait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The least wall time the whole run gives the pipeline's first data, whatever the scale: the sample services are
    /// real processes that boot, serve and export in wall time, which a faster lab clock does not shorten.
    /// </summary>
    public static readonly TimeSpan MinimumDataWindow = TimeSpan.FromSeconds(15);

    /// <summary>The least wall time a check gets to accumulate what it counts once the data window has run out.</summary>
    public static readonly TimeSpan MinimumWallDataWait = TimeSpan.FromSeconds(2);

    private long? _dataClock;
    private Model.Time.LabClock? _clock;

    /// <summary>The lab clock dataWithin and the checks' waits are measured on (the running lab's unless given).</summary>
    public Model.Time.LabClock? Clock
    {
        get => _clock ?? Lab?.Clock;
        init => _clock = value;
    }

    private TimeProvider Wall => Clock?.Real ?? TimeProvider.System;

    /// <summary>How long checks that wait for data may wait (the scenario's dataWithin unless the run overrides it).</summary>
    public required TimeSpan DataWithin { get; init; }

    /// <summary>
    /// How long (wall time) a check may still wait for data. dataWithin is "the first data within X of the lab being
    /// ready", in lab time: at timeScale 10, 35 s of lab time pass in 3.5 s of wall time, but never less than
    /// <see cref="MinimumDataWindow"/> of wall time. It counts once, from the start of the run's checks
    /// (<see cref="ScenarioRunner"/> starts the clock), not again in every check: on the guide as written, where
    /// nothing ever arrives, ten checks each waiting the full window made `test --scenario payments` run past 10
    /// minutes. A check still gets <see cref="MinimumDataWait"/> of lab time (or dataWithin when shorter), and at least
    /// <see cref="MinimumWallDataWait"/>, to accumulate what it counts — unless the window passed with nothing at any
    /// backend, when it gets no more. A check stops waiting as soon as what it waits for holds, so the floors cost time
    /// only when data is missing.
    /// </summary>
    public TimeSpan DataWait
    {
        get
        {
            if (DataWithin <= TimeSpan.Zero)
            {
                return TimeSpan.Zero;
            }

            // The wall-time floors hold where real processes run: on a lab clock.
            var labRun = Clock is not null;
            var window = labRun ? Max(WallTime(DataWithin), MinimumDataWindow) : DataWithin;
            if (_dataClock is not { } started)
            {
                return window;
            }

            var left = window - Wall.GetElapsedTime(started);
            if (left <= TimeSpan.Zero && NothingReceived())
            {
                // The floors give a check time to accumulate what arrives. A window that passed with nothing at any
                // backend leaves nothing to accumulate: each check's floor would only wait again for data the window
                // already showed is not coming (the guide's secrets variant, whose gateway never runs: eight checks, 16 s in all).
                return TimeSpan.Zero;
            }

            var minimum = WallTime(Min(DataWithin, MinimumDataWait));
            return Max(left, labRun ? Max(minimum, MinimumWallDataWait) : minimum);
        }
    }

    /// <summary>True when the run has backends and not one of them has received anything: no item, accepted or refused, on any intake.</summary>
    private bool NothingReceived() =>
        Backends is { Count: > 0 } backends && backends.All(b => b.Captures.Summary() is
        {
            AcceptedSpans: 0, AcceptedMetricPoints: 0, AcceptedLogRecords: 0, RejectedItems: 0, RejectedRequests: 0, OtherIntake.Count: 0,
        });

    /// <summary>The wall time a lab-time span takes at the lab clock's current scale (itself without a running lab).</summary>
    public TimeSpan WallTime(TimeSpan labTime) => Clock?.ToWallTime(labTime) ?? labTime;

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
    public void StartDataClock() => _dataClock ??= Wall.GetTimestamp();

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
