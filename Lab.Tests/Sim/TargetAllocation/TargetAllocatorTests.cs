using OtelLab.Model.Time;
using OtelLab.Tests.Support;
using OtelLab.Sim.Relabeling;
using OtelLab.Sim.TargetAllocation;

namespace OtelLab.Tests.Sim.TargetAllocation;

[Trait("Category", "Unit")]
public sealed class TargetAllocatorTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);

    private static ScrapeConfig Job(string name, int targets, params RelabelConfig[] relabel) => new()
    {
        JobName = name,
        RelabelConfigs = relabel,
        StaticConfigs = [new StaticConfig([.. Enumerable.Range(0, targets).Select(i => $"10.42.0.{i}:9100")])],
    };

    private static StaticCollectorSource Collectors(int count) =>
        new(Enumerable.Range(0, count).Select(i => new CollectorPod($"otel-collector-{i}", $"node-{i}")));

    [Fact]
    public void Nothing_is_allocated_before_the_first_tick_and_everything_after_it()
    {
        // Given a TA with 3 collectors and a job of 30 static targets
        var time = new ManualTimeProvider();
        var ta = new TargetAllocator(new TargetAllocatorOptions(), [new StaticTargetSource([Job("node", 30)])], Collectors(3), time);
        ta.Start();

        // Then it is ready at once (configs loaded) but has allocated nothing before the 5 s tick
        Assert.True(ta.IsReady);
        time.Advance(Tick - TimeSpan.FromMilliseconds(1));
        Assert.Empty(ta.Allocator.TargetItems());

        // When the tick passes
        time.Advance(TimeSpan.FromMilliseconds(1));

        // Then all 30 targets are assigned over the 3 collectors
        Assert.Equal(30, ta.Allocator.TargetItems().Count);
        Assert.Equal(30, ta.Allocator.Collectors().Values.Sum(c => c.NumTargets));
        Assert.Equal(3, ta.Allocator.Collectors().Count);
    }

    [Fact]
    public void A_collector_change_waits_for_the_next_tick()
    {
        // Given an allocated TA
        var time = new ManualTimeProvider();
        var collectors = Collectors(2);
        var ta = new TargetAllocator(new TargetAllocatorOptions(), [new StaticTargetSource([Job("node", 20)])], collectors, time);
        ta.Start();
        time.Advance(Tick);
        var updates = ta.CollectorUpdates;

        // When a third collector appears just after a tick
        collectors.Set([.. collectors.Pods, new CollectorPod("otel-collector-2", "node-2")]);
        time.Advance(Tick - TimeSpan.FromMilliseconds(1));

        // Then it is not used until the next tick, and then it is
        Assert.Equal(2, ta.Allocator.Collectors().Count);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(3, ta.Allocator.Collectors().Count);
        Assert.Equal(updates + 1, ta.CollectorUpdates);
    }

    [Fact]
    public void Ticks_without_changes_do_not_recompute()
    {
        var time = new ManualTimeProvider();
        var ta = new TargetAllocator(new TargetAllocatorOptions(), [new StaticTargetSource([Job("node", 5)])], Collectors(2), time);
        ta.Start();
        time.Advance(Tick);
        time.Advance(Tick * 3);
        Assert.Equal(1, ta.CollectorUpdates);
        Assert.Equal(1, ta.TargetUpdates);
    }

    [Fact]
    public async Task On_a_lab_clock_at_time_scale_ten_the_five_second_ticks_take_half_a_second()
    {
        var wall = new ManualTimeProvider();
        var ta = new TargetAllocator(new TargetAllocatorOptions(), [new StaticTargetSource([Job("node", 5)])], Collectors(2), new LabClock(10, wall));
        ta.Start();

        wall.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Empty(ta.Allocator.TargetItems());

        // The collectors' and the targets' ticks come due together; as on the runtime's timer queue, one runs on the
        // advancing thread and the other on the thread pool.
        wall.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(ta.Allocator.TargetItems().Count == 5), TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken),
            $"{ta.Allocator.TargetItems().Count} of 5 targets allocated");
    }

    [Fact]
    public void Pods_without_a_node_and_long_non_running_pods_get_no_targets()
    {
        // Given a running pod, a pod without nodeName, a Pending pod started 10 s ago and one started 31 s ago
        var time = new ManualTimeProvider();
        var now = time.GetUtcNow();
        var pods = new StaticCollectorSource([
            new CollectorPod("running", "node-0"),
            new CollectorPod("unscheduled", ""),
            new CollectorPod("pending-young", "node-1", "Pending", now - TimeSpan.FromSeconds(10)),
            new CollectorPod("pending-old", "node-2", "Pending", now - TimeSpan.FromSeconds(31)),
        ]);
        var ta = new TargetAllocator(new TargetAllocatorOptions(), [new StaticTargetSource([Job("node", 50)])], pods, time);
        ta.Start();

        // When the first tick runs (5 s later: the young pod is 15 s old)
        time.Advance(Tick);

        // Then only the running and the young pending pod are allocatable
        Assert.Equal(["pending-young", "running"], ta.Allocator.Collectors().Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, ta.Metrics.Value(AllocatorMetricNames.CollectorsDiscovered));

        // And when the young pod passes the 30 s grace period, the next informer resync drops it
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(["running"], ta.Allocator.Collectors().Keys);
        Assert.Equal(50, ta.Allocator.Collectors()["running"].NumTargets);
    }

    [Fact]
    public void Relabel_configs_filter_targets_but_collectors_are_served_the_discovered_labels()
    {
        // Given a job that keeps only pods annotated for scraping and rewrites the port
        var source = new InMemoryTargetSource([new ScrapeConfig
        {
            JobName = "kubernetes-pods",
            RelabelConfigs =
            [
                new RelabelConfig { Action = RelabelAction.Keep, SourceLabels = ["__meta_kubernetes_pod_annotation_prometheus_io_scrape"], Regex = new RelabelRegex("true") },
                new RelabelConfig { SourceLabels = [Label.Address], Regex = new RelabelRegex(@"([^:]+)(?::\d+)?"), Replacement = "${1}:9100", TargetLabel = Label.Address },
            ],
        }]);
        var time = new ManualTimeProvider();
        var ta = new TargetAllocator(new TargetAllocatorOptions(), [source], Collectors(2), time);
        ta.Start();

        // When discovery reports one annotated and one plain pod
        var annotated = LabelSet.From((Label.Address, "10.42.0.7:8080"), ("__meta_kubernetes_pod_annotation_prometheus_io_scrape", "true"), ("__meta_kubernetes_pod_node_name", "node-0"));
        source.SetTargetGroups([new TargetGroup("kubernetes-pods", [annotated, LabelSet.From((Label.Address, "10.42.0.8:8080"))], LabelSet.From(("__meta_kubernetes_namespace", "payments")))]);
        time.Advance(Tick);

        // Then only the annotated pod is a target; its served labels are the discovered ones (group labels merged),
        // its URL the discovered address, and its identity the hash of the relabelled labels
        var item = Assert.Single(ta.Allocator.TargetItems().Values);
        Assert.Equal("10.42.0.7:8080", item.TargetUrl);
        Assert.Equal("payments", item.Labels.Get("__meta_kubernetes_namespace"));
        Assert.Equal("10.42.0.7:8080", item.Labels.Get(Label.Address));
        Assert.Equal(TargetHash.Of(LabelSet.From((Label.Address, "10.42.0.7:9100")), "kubernetes-pods"), item.Hash);
        Assert.Equal(2, ta.Metrics.Value(AllocatorMetricNames.Targets, ("job_name", "kubernetes-pods")));
        Assert.Equal(1, ta.Metrics.Value(AllocatorMetricNames.TargetsRemaining));
    }

    [Fact]
    public void A_target_whose_meta_labels_change_keeps_its_collector_and_serves_the_new_labels()
    {
        // Given an allocated target
        var source = new InMemoryTargetSource([new ScrapeConfig { JobName = "pods" }]);
        var time = new ManualTimeProvider();
        var ta = new TargetAllocator(new TargetAllocatorOptions { AllocationStrategy = "least-weighted" }, [source], Collectors(3), time);
        ta.Start();
        source.SetTargetGroups([new TargetGroup("pods", [LabelSet.From((Label.Address, "10.0.0.1:9100"), ("__meta_kubernetes_pod_name", "old"))])]);
        time.Advance(Tick);
        var before = Assert.Single(ta.Allocator.TargetItems().Values);

        // When only its meta labels change (same identity)
        source.SetTargetGroups([new TargetGroup("pods", [LabelSet.From((Label.Address, "10.0.0.1:9100"), ("__meta_kubernetes_pod_name", "new"))])]);
        time.Advance(Tick);

        // Then it keeps its collector and serves the new labels (upstream refreshExistingTargetLabels)
        var after = Assert.Single(ta.Allocator.TargetItems().Values);
        Assert.Equal(before.CollectorName, after.CollectorName);
        Assert.Equal("new", after.Labels.Get("__meta_kubernetes_pod_name"));
    }

    [Fact]
    public void Self_metrics_use_upstream_names()
    {
        // Given an allocated TA
        var time = new ManualTimeProvider();
        var ta = new TargetAllocator(new TargetAllocatorOptions(), [new StaticTargetSource([Job("node", 12)])], Collectors(2), time);
        ta.Start();
        time.Advance(Tick);

        // Then the upstream metric families are exposed
        var text = ta.Metrics.Render();
        Assert.Contains("opentelemetry_allocator_collectors_allocatable{strategy=\"consistent-hashing\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("opentelemetry_allocator_events_total{source=\"EventSourceConfigMap\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("opentelemetry_allocator_targets{job_name=\"node\"} 12\n", text, StringComparison.Ordinal);
        Assert.Contains("opentelemetry_allocator_time_to_allocate_count{method=\"SetTargets\",strategy=\"consistent-hashing\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE opentelemetry_allocator_targets_per_collector gauge\n", text, StringComparison.Ordinal);
        var perCollector = ta.Allocator.Collectors().Values.Sum(c => ta.Metrics.Value(AllocatorMetricNames.TargetsPerCollector, ("collector_name", c.Name), ("strategy", "consistent-hashing")));
        Assert.Equal(12, perCollector);
    }

    [Fact]
    public void Static_config_labels_apply_to_every_target_of_the_entry()
    {
        var config = new ScrapeConfig { JobName = "static", StaticConfigs = [new StaticConfig(["a:1", "b:2"], LabelSet.From(("env", "lab")))] };
        var items = TargetAllocator.ProcessTargetGroups(new Dictionary<string, ScrapeConfig> { ["static"] = config }, config.StaticTargetGroups());
        Assert.Equal(["a:1", "b:2"], items.Select(i => i.TargetUrl));
        Assert.All(items, i => Assert.Equal("lab", i.Labels.Get("env")));
    }
}
