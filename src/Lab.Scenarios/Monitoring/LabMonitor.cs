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
    private static readonly IScenarioCheck[] LiveChecks = [new PodsReadyCheck(), new WorkloadsHavePodsCheck(), new VaultSecretsCheck()];
    private readonly SimLab _lab;
    private readonly IReadOnlyList<IPipelineTelemetry> _telemetry;
    private readonly TimeProvider _time;
    private readonly Queue<RatePoint> _history = new();
    private readonly Lock _gate = new();
    private readonly Internal.TierRateWindow _tierRates = new();
    private IReadOnlyList<string>? _slowestPods;
    private IReadOnlyList<Finding>? _lint;
    private LabSnapshot? _latest;

    public LabMonitor(SimLab lab, IReadOnlyList<IPipelineTelemetry>? telemetry = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(lab);
        _lab = lab;
        _telemetry = telemetry ?? [];
        _time = time ?? TimeProvider.System;
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

        var snapshot = new LabSnapshot
        {
            At = now,
            Scenario = _lab.Scenario.Name,
            StartupTime = _lab.StartupTime,
            SlowestPods = SlowestPods(),
            FirstScrapeRound = _lab.FirstScrapeRound.IsCompletedSuccessfully ? _lab.FirstScrapeRound.Result : null,
            FarmProgress = (_lab.FarmTargetsScraped, _lab.Scenario.Targets.Count),
            Resources = _lab.Graph.Snapshots(),
            Pods = _lab.Pods().Select(Row).ToList(),
            Shards = _telemetry.SelectMany(Shards).ToList(),
            Tiers = tiers,
            KeepRates = _telemetry.SelectMany(KeepRates).ToList(),
            Backends = backends,
            Findings = Findings(),
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

    private IReadOnlyList<Finding> Findings()
    {
        _lint ??= Linter.Run(_lab.Manifests, install: _lab.Scenario.Install);
        if (_lab.Cluster is null)
        {
            return _lint;
        }

        var context = new CheckContext { Scenario = _lab.Scenario, Manifests = _lab.Manifests, Lab = _lab, DataWithin = TimeSpan.Zero };
        var dynamic = LiveChecks.SelectMany(c =>
        {
            try
            {
                return c.RunAsync(context, CancellationToken.None).GetAwaiter().GetResult().Findings;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A view must not die on a check bug; the test verb reports crashes as failed checks.
                return [];
            }
        });
        return [.. _lint, .. dynamic];
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
}
