using OtelLab.Model.Time;
using System.Collections.Concurrent;
using k8s.Models;
using OtelLab.Load.TargetFarm.Pods;
using OtelLab.Model.Manifests;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Receivers.Prometheus;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Networking;
using OtelLab.Sim.Operator;
using OtelLab.Sim.TargetAllocation;
using OtelLab.Sim.TargetAllocation.Runtime;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.PrometheusTier;

/// <summary>
/// The Prometheus tier of payments-fixed on the full sim: operator, kubelets with the TA runtime, the farm runtime and a
/// minimal in-process collector (<see cref="PrometheusOnlyCollectorRuntime"/>: only the prometheus receiver, here into a
/// ledger of scrapes), so the tier runs without the full collector runtime. Farm pods come from
/// <see cref="FarmManifests"/>; the scenario's ServiceMonitor api-gateway selects them.
/// </summary>
internal sealed class PrometheusTierRun : IAsyncDisposable
{
    public const string Namespace = "observability";
    public const string CollectorName = "otel-prometheus";

    /// <summary>The payments-fixed manifests of the Prometheus tier (the agents, gateway and apps are not needed here).</summary>
    private static readonly string[] TierFiles =
    [
        "00-namespaces.yaml", "02-targetallocator-rbac.yaml", "11-otel-prometheus.yaml", "40-existing-servicemonitors.yaml", "41-collector-self-podmonitor.yaml",
    ];

    private PrometheusTierRun(SimulatedCluster cluster, NodeAgents agents, KubeProxy proxy, TargetAllocatorContainerRuntime ta, PrometheusOnlyCollectorRuntime collectors, double timeScale)
    {
        Collectors = collectors;
        Cluster = cluster;
        Agents = agents;
        Proxy = proxy;
        TargetAllocators = ta;
        TimeScale = timeScale;
    }

    public SimulatedCluster Cluster { get; }

    public NodeAgents Agents { get; }

    public KubeProxy Proxy { get; }

    public TargetAllocatorContainerRuntime TargetAllocators { get; }

    public double TimeScale { get; }

    public PrometheusOnlyCollectorRuntime Collectors { get; }

    /// <summary>The running receiver of each collector pod (replaced when the pod's container restarts).</summary>
    public ConcurrentDictionary<string, PrometheusReceiver> Receivers => Collectors.Receivers;

    /// <summary>Per scraped instance: wall-clock times of successful scrapes (any replica).</summary>
    public required ScrapeLedger Ledger { get; init; }

    /// <summary>Collector pods whose container fails to start (a broken replica).</summary>
    public ConcurrentDictionary<string, bool> BrokenCollectors => Collectors.Broken;

    public TargetAllocator Allocator => TargetAllocators.Running.Values.Single();

    public static async Task<PrometheusTierRun> StartAsync(int targets, double timeScale, Func<string, string, string>? editManifest = null, CancellationToken cancellationToken = default)
    {
        // Its own address slot: runs in other tests may bind pods beside this one.
        var slot = LoopbackAddressSlot.Claim();
        var cluster = SimFixtures.NewCluster(nodes: 3, time: new LabClock(timeScale), addresses: slot.NewPlan());
        OpenTelemetryOperator.Install(cluster);
        var ta = new TargetAllocatorContainerRuntime();
        var farm = new ScrapeTargetContainerRuntime();
        var ledger = new ScrapeLedger();
        var collectors = new PrometheusOnlyCollectorRuntime { ConsumerFor = _ => new LedgerConsumer(ledger) };
        var agents = NodeAgents.Start(cluster, new KubeletOptions { Runtimes = [ta, farm, collectors] });
        var proxy = new KubeProxy(cluster);
        proxy.Start();
        var run = new PrometheusTierRun(cluster, agents, proxy, ta, collectors, timeScale) { Ledger = ledger, Slot = slot };
        var dir = Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests");
        foreach (var file in TierFiles)
        {
            var text = await File.ReadAllTextAsync(Path.Combine(dir, file), cancellationToken);
            await run.ApplyAsync(file, editManifest is null ? text : editManifest(file, text), cancellationToken);
        }

        await run.ApplyAsync("farm.yaml", FarmManifests.Yaml(targets), cancellationToken);
        return run;
    }

    public async Task ApplyAsync(string file, string yaml, CancellationToken cancellationToken)
    {
        var set = ManifestLoader.LoadText(file, yaml);
        Assert.Empty(set.Errors);
        await Cluster.ApplyAsync(set, cancellationToken);
    }

    /// <summary>Re-applies the collector CR with another replica count (what a GitOps change does).</summary>
    public Task ScaleCollectorsAsync(int replicas, CancellationToken cancellationToken)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests", "11-otel-prometheus.yaml"));
        return ApplyAsync("11-otel-prometheus.yaml", text.Replace("replicas: 3", $"replicas: {replicas}", StringComparison.Ordinal), cancellationToken);
    }

    public IReadOnlyList<V1Pod> FarmPods => Cluster.List<V1Pod>("farm");

    public static bool IsReady(V1Pod pod) => pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>The TA's assignment of the farm job: target URL → collector.</summary>
    public Dictionary<string, string> FarmAssignment()
    {
        var allocator = Allocator.Allocator;
        var items = allocator.TargetItems();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (hash, collector) in allocator.Assignments())
        {
            if (items.TryGetValue(hash, out var item) && item.JobName == FarmJob)
            {
                result[item.TargetUrl] = collector;
            }
        }

        return result;
    }

    public const string FarmJob = "serviceMonitor/observability/api-gateway/0";

    /// <summary>Per collector pod: the farm targets its receiver has scraped up at least once.</summary>
    public Dictionary<string, HashSet<string>> ScrapedFarmTargets() => Receivers.ToDictionary(
        r => r.Key,
        r => r.Value.Targets.Where(t => t.Job == FarmJob && t.Up && t.Scrapes > 0).Select(t => t.Address).ToHashSet(StringComparer.Ordinal),
        StringComparer.Ordinal);

    private LoopbackAddressSlot? Slot { get; init; }

    public async ValueTask DisposeAsync()
    {
        await Agents.DisposeAsync();
        await Proxy.DisposeAsync();
        Slot?.Dispose();
    }

    private sealed class LedgerConsumer(ScrapeLedger ledger) : IMetricConsumer
    {
        public ValueTask ConsumeAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
        {
            foreach (var p in points)
            {
                if (p.Name == "up" && p.Value == 1)
                {
                    ledger.Scraped(p.Resource.Attributes["service.instance.id"].Str);
                }
            }

            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>When each instance was last scraped successfully (by any replica), and the longest gap seen, in wall-clock time.</summary>
internal sealed class ScrapeLedger
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset Last, TimeSpan MaxGap)> _instances = new(StringComparer.Ordinal);

    public int Count => _instances.Count;

    public void Scraped(string instance)
    {
        var now = DateTimeOffset.UtcNow;
        _instances.AddOrUpdate(instance, (now, TimeSpan.Zero), (_, old) => (now, now - old.Last > old.MaxGap ? now - old.Last : old.MaxGap));
    }

    public void ResetGaps()
    {
        foreach (var key in _instances.Keys)
        {
            _instances.AddOrUpdate(key, (DateTimeOffset.UtcNow, TimeSpan.Zero), (_, old) => (old.Last, TimeSpan.Zero));
        }
    }

    /// <summary>The longest gap per instance, counting the time since the last scrape as a gap too.</summary>
    public IReadOnlyDictionary<string, TimeSpan> MaxGaps()
    {
        var now = DateTimeOffset.UtcNow;
        return _instances.ToDictionary(kv => kv.Key, kv => now - kv.Value.Last > kv.Value.MaxGap ? now - kv.Value.Last : kv.Value.MaxGap, StringComparer.Ordinal);
    }
}
