using k8s.Models;
using OtelLab.Lint;
using OtelLab.Scenarios.Checks;

namespace OtelLab.Scenarios.Monitoring;

/// <summary>
/// Samples a running lab for the live views: resources, pods, backends, the pipeline telemetry plugged in, and the
/// findings (static lint once, then the cheap dynamic checks on every sample). Keeps a bounded spans/s history.
/// </summary>
public sealed class LabMonitor
{
    private const int HistoryLength = 600;
    // The live checks: the first reads the cluster's objects and the logs of pods that are not Ready, the second only
    // the cluster's objects, the third the Vault injections too.
    private static readonly IScenarioCheck[] PodChecks = [new PodsReadyCheck()];
    private static readonly IScenarioCheck[] WorkloadChecks = [new WorkloadsHavePodsCheck()];
    private static readonly IScenarioCheck[] OtherLiveChecks = [new VaultSecretsCheck()];
    private readonly IScenarioCheck[] _otherLiveChecks;
    private readonly SimLab _lab;
    private readonly IReadOnlyList<IPipelineTelemetry> _telemetry;
    private readonly TimeProvider _time;
    private readonly Queue<RatePoint> _history = new();
    private readonly Lock _gate = new();
    private readonly Internal.TierRateWindow _tierRates = new();
    private IReadOnlyList<string>? _slowestPods;
    private IReadOnlyList<Finding>? _lint;
    private LabSnapshot? _latest;
    private ClusterReading? _clusterReading;

    public LabMonitor(SimLab lab, IReadOnlyList<IPipelineTelemetry>? telemetry = null, TimeProvider? time = null)
        : this(lab, telemetry, time, OtherLiveChecks)
    {
    }

    /// <summary>A sampler whose live checks besides the cluster's are <paramref name="otherLiveChecks"/>.</summary>
    internal LabMonitor(SimLab lab, IReadOnlyList<IPipelineTelemetry>? telemetry, TimeProvider? time, IScenarioCheck[] otherLiveChecks)
    {
        ArgumentNullException.ThrowIfNull(lab);
        _lab = lab;
        _telemetry = telemetry ?? [];
        _time = time ?? TimeProvider.System;
        _otherLiveChecks = otherLiveChecks;
    }

    public SimLab Lab => _lab;

    /// <summary>The latest sample (taking one when none exists yet).</summary>
    public LabSnapshot Latest => Volatile.Read(ref _latest) ?? Sample();

    public IReadOnlyList<RatePoint> History()
    {
        lock (_gate)
        {
            return [.. _history];
        }
    }

    /// <summary>Takes a sample now (the views call this on their refresh tick).</summary>
    public LabSnapshot Sample()
    {
        var now = _time.GetUtcNow();
        var backends = _lab.Backends.Select(b =>
        {
            var s = b.Captures.Summary(rateWindowSeconds: 5);
            return new BackendRow(b.Name, b.BaseAddress.ToString(), s.AcceptedSpans, s.AcceptedMetricPoints, s.AcceptedLogRecords, s.RejectedItems, s.RejectedRequests, s.IngestItemsPerSecond);
        }).ToList();
        var tiers = new List<TierRate>();
        lock (_gate)
        {
            foreach (var t in _telemetry.SelectMany(Tiers))
            {
                var (received, sent) = _tierRates.Add(t.Tier, t.Received, t.Sent, now);
                tiers.Add(new TierRate(t.Tier, received, sent, t.SendFailed));
            }

            var series = backends.ToDictionary(b => b.Backend + " ingest/s", b => b.IngestPerSecond, StringComparer.Ordinal);
            foreach (var t in tiers)
            {
                series[t.Tier + " spans/s"] = t.ReceivedPerSecond;
            }

            _history.Enqueue(new RatePoint(now, series));
            while (_history.Count > HistoryLength)
            {
                _history.Dequeue();
            }
        }

        var cluster = ReadCluster();
        var snapshot = new LabSnapshot
        {
            At = now,
            Scenario = _lab.Scenario.Name,
            StartupTime = _lab.StartupTime,
            SlowestPods = SlowestPods(),
            FirstScrapeRound = _lab.FirstScrapeRound.IsCompletedSuccessfully ? _lab.FirstScrapeRound.Result : null,
            FarmProgress = (_lab.FarmTargetsScraped, _lab.Scenario.Targets.Count),
            Resources = _lab.Graph.Snapshots(),
            Pods = cluster.Pods,
            Shards = _telemetry.SelectMany(Shards).ToList(),
            Tiers = tiers,
            KeepRates = _telemetry.SelectMany(KeepRates).ToList(),
            Backends = backends,
            Findings = Findings(cluster),
            Health = _lab.Health.Latest,
        };
        Volatile.Write(ref _latest, snapshot);
        return snapshot;
    }

    // Sorting every pod by its time to Ready once is enough: the start-up it describes is over.
    private IReadOnlyList<string> SlowestPods()
    {
        if (_slowestPods is null && _lab.StartupTime is not null && _lab.Cluster is { } cluster)
        {
            _slowestPods = PodStatus.Slowest(cluster.List<V1Pod>(), 3);
        }

        return _slowestPods ?? [];
    }

    private IReadOnlyList<Finding> Findings(ClusterReading cluster)
    {
        _lint ??= Linter.Run(_lab.Manifests, install: _lab.Scenario.Install);
        return _lab.Cluster is null ? _lint : [.. _lint, .. cluster.PodFindings, .. cluster.WorkloadFindings, .. Run(_otherLiveChecks)];
    }

    /// <summary>
    /// The pod rows and the cluster checks' findings at the cluster's current resourceVersion. A lab whose workloads are
    /// up stops writing objects (at 9,000 farm pods the version stood still between samples), and walking every pod
    /// each second for the rows and the checks was about a ninth of a 9,000-target lab's CPU at 300 scrapes/s (perf
    /// samples of <c>up</c>), so a sample at an unchanged version reuses them. Every create, update, status update,
    /// delete and event takes a new resourceVersion, so rows and verdicts cannot go stale; only the last log line a
    /// not-Ready pod's finding quotes changes without one, so the pods' check runs again while it finds any.
    /// </summary>
    private ClusterReading ReadCluster()
    {
        if (_lab.Cluster is not { } cluster)
        {
            return new ClusterReading(-1, [], [], []);
        }

        // Read before the walk: a write during it leaves the reading at the older version, so the next sample reads again.
        var version = cluster.ResourceVersion;
        var last = Volatile.Read(ref _clusterReading);
        ClusterReading reading;
        if (last is not null && last.Version == version)
        {
            if (last.PodFindings.Count == 0)
            {
                return last;
            }

            reading = last with { PodFindings = Run(PodChecks) };
        }
        else
        {
            reading = new ClusterReading(version, [.. _lab.Pods().Select(Row)], Run(PodChecks), Run(WorkloadChecks));
        }

        Volatile.Write(ref _clusterReading, reading);
        return reading;
    }

    // A check that crashes shows in the views as a check-crashed finding with what it threw (as the test verb reports
    // it), never as a crash of the views and never as silence that reads like a healthy lab. Nothing cancels a sample,
    // so a cancellation here is the check's own timeout: a crash too.
    private List<Finding> Run(IScenarioCheck[] checks)
    {
        var context = new CheckContext { Scenario = _lab.Scenario, Manifests = _lab.Manifests, Lab = _lab, DataWithin = TimeSpan.Zero };
        return [.. checks.SelectMany(c =>
        {
            try
            {
                return c.RunAsync(context, CancellationToken.None).GetAwaiter().GetResult().Findings;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return ScenarioRunner.Crashed(c, e, TimeSpan.Zero).Findings;
            }
        })];
    }

    private static IEnumerable<ShardRow> Shards(IPipelineTelemetry t) => Guard(t.Shards);

    private static IEnumerable<TierCounters> Tiers(IPipelineTelemetry t) => Guard(t.Tiers);

    private static IEnumerable<KeepRateRow> KeepRates(IPipelineTelemetry t) => Guard(t.KeepRates);

    private static IReadOnlyList<T> Guard<T>(Func<IReadOnlyList<T>> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Telemetry path: never throw into the views.
            return [];
        }
    }

    private static PodRow Row(V1Pod p) => new(
        p.Metadata.NamespaceProperty,
        p.Metadata.Name,
        p.Spec.NodeName ?? "",
        p.Status?.PodIP ?? "",
        PodStatus.Describe(p),
        PodStatus.IsReady(p),
        PodStatus.Restarts(p),
        [.. (p.Spec.InitContainers ?? []).Select(c => c.Name), .. p.Spec.Containers.Select(c => c.Name)]);

    private sealed record ClusterReading(long Version, IReadOnlyList<PodRow> Pods, IReadOnlyList<Finding> PodFindings, IReadOnlyList<Finding> WorkloadFindings);
}
