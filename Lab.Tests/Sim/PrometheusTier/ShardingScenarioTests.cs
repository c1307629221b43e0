using OtelLab.Sim.Networking;
using OtelLab.Sim.TargetAllocation;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.PrometheusTier;

/// <summary>
/// The guide's sharding checks on the full sim (payments-fixed, farm pods selected by the api-gateway ServiceMonitor,
/// TA and collectors as pods), at timeScale 10: 30 s intervals take 3 s.
/// </summary>
[Trait("Category", "Lab")]
public sealed class ShardingScenarioTests
{
    private const double TimeScale = 10;
    // Twice real time: 600 scrapes/s with upstream's 10 s scrape timeout scaled to 5 s, about a quarter of a core at
    // 0.4-0.5 ms per scrape (bench/Lab.Bench.Scrape), so the run holds while other lab tests share the machine's two
    // cores (when a scrape cost the lab 2 ms, 600 scrapes/s outran the test's 5-minute bound beside them).
    private const double NineThousandTimeScale = 2;

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Every_farm_target_is_owned_by_exactly_one_replica_and_scraped_by_it()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        // Given payments-fixed's Prometheus tier and 600 farm targets
        var ct = TestContext.Current.CancellationToken;
        const int targets = 600;
        await using var run = await PrometheusTierRun.StartAsync(targets, TimeScale, cancellationToken: ct);

        // When the farm is Ready and the TA has allocated it
        var started = System.Diagnostics.Stopwatch.StartNew();
        await WaitForAllocationAsync(run, targets, replicas: 3, ct);
        TestContext.Current.SendDiagnosticMessage($"{targets} targets Ready and allocated after {started.Elapsed.TotalSeconds:F1} s");

        // Then every replica scrapes exactly what the TA gave it, and the union is the whole farm
        await WaitForScrapesMatchingAllocationAsync(run, ct);
        var assignment = run.FarmAssignment();
        var farmAddresses = run.FarmPods.Select(p => $"{p.Status.PodIP}:9100").ToHashSet(StringComparer.Ordinal);
        Assert.Equal(farmAddresses.Order(StringComparer.Ordinal), assignment.Keys.Order(StringComparer.Ordinal));
        var scraped = run.ScrapedFarmTargets();
        Assert.Equal(targets, scraped.Values.Sum(s => s.Count));
        Assert.Equal(farmAddresses.Order(StringComparer.Ordinal), scraped.Values.SelectMany(s => s).Order(StringComparer.Ordinal));

        // and the collectors' self-metrics targets (PodMonitor) are scraped too, one per replica
        Assert.Equal(3, run.Allocator.Allocator.TargetItems().Values.Count(t => t.JobName == "podMonitor/observability/otel-prometheus-self/0"));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    [Trait("Speed", "Slow")]
    public async Task Nine_thousand_targets_are_all_scraped_and_each_replica_share_stays_within_the_bounded_load()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        // Runs in CI: 38 s wall at timeScale 2 and 1.35 GB peak RSS on the 2-core machine (dotnet test of this method
        // under /usr/bin/time -v), after thread-pool spinning was turned off and connections that outlive their scrape
        // are closed; it had taken ~2 min and 1.9 GB, and died in two of four runs at the descriptor limit.

        // Given the guide's 9,000 targets, at twice real time (at 10 the three replicas would make 3,000 scrapes/s on a
        // 2-core machine shared with other lab tests, which times out the 1 s scaled scrape timeout; at 2 it is 600/s
        // with a 5 s timeout)
        var ct = TestContext.Current.CancellationToken;
        const int targets = 9000;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var run = await PrometheusTierRun.StartAsync(targets, NineThousandTimeScale, cancellationToken: ct);
        TestContext.Current.SendDiagnosticMessage($"9,000: manifests applied {clock.Elapsed.TotalSeconds:F1} s");

        // When they are Ready, allocated and scraped
        var started = System.Diagnostics.Stopwatch.StartNew();
        await WaitForAllocationAsync(run, targets, replicas: 3, ct);
        var allocated = started.Elapsed;
        await WaitForScrapesMatchingAllocationAsync(run, ct);
        TestContext.Current.SendDiagnosticMessage($"9,000: Ready + allocated {allocated.TotalSeconds:F1} s, every target scraped by its owner {started.Elapsed.TotalSeconds:F1} s");

        // Then the union is all 9,000, each owned once
        var assignment = run.FarmAssignment();
        Assert.Equal(targets, assignment.Count);
        Assert.Equal(targets, run.ScrapedFarmTargets().Values.SelectMany(s => s).Distinct(StringComparer.Ordinal).Count());

        // and each replica's share is within the bound of consistent hashing with bounded loads: the ring gives a member
        // at most ceil(floor(1061 / 3) × 1.1) = 389 of the 1061 partitions (buraksezer/consistent AverageLoad), so at least
        // 1061 − 2 × 389 = 283; a target lands in a partition uniformly (xxhash of its labels mod 1061), so a replica's
        // count is Binomial(9000, k/1061) with 283 ≤ k ≤ 389: within 4σ (σ ≤ √(9000·0.37·0.63) ≈ 46) of those means.
        const double maxPartitions = 389, minPartitions = 283, partitions = ConsistentHashingStrategy.PartitionCount;
        var sigma = Math.Sqrt(targets * (maxPartitions / partitions) * (1 - (maxPartitions / partitions)));
        var shares = assignment.GroupBy(a => a.Value).ToDictionary(g => g.Key, g => g.Count());
        TestContext.Current.SendDiagnosticMessage("shares: " + string.Join(", ", shares.OrderBy(s => s.Key).Select(s => $"{s.Key}={s.Value}")));
        Assert.Equal(3, shares.Count);
        Assert.All(shares.Values, n => Assert.InRange(n, (targets * minPartitions / partitions) - (4 * sigma), (targets * maxPartitions / partitions) + (4 * sigma)));
    }

    internal static async Task WaitForAllocationAsync(PrometheusTierRun run, int targets, int replicas, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Polled (not re-checked on every cluster change under the cluster's lock: listing 9,000 pods per change is the
        // test slowing the control plane it measures)
        // (the three waits stay inside the test's 5-minute bound together, so a slow run fails with what it waited for
        // and disposes its lab, instead of being cancelled with its lab still listening)
        var ready = await Eventually.WaitAsync(() => Task.FromResult(run.TargetAllocators.Running.Count == 1 && run.FarmPods.Count(PrometheusTierRun.IsReady) == targets), TimeSpan.FromSeconds(150), ct);
        Assert.True(ready, $"farm pods ready: {run.FarmPods.Count(PrometheusTierRun.IsReady)}/{targets}; TAs: {run.TargetAllocators.Running.Count}");
        TestContext.Current.SendDiagnosticMessage($"{targets} farm pods Ready after {clock.Elapsed.TotalSeconds:F1} s");
        var allocated = await Eventually.WaitAsync(
            () => Task.FromResult(run.FarmAssignment().Count == targets && run.Allocator.Allocator.Collectors().Count == replicas && run.FarmAssignment().Values.Distinct().Count() == replicas),
            TimeSpan.FromSeconds(45), ct);
        Assert.True(allocated, $"allocated {run.FarmAssignment().Count}/{targets} over {run.Allocator.Allocator.Collectors().Count} collectors");
    }

    internal static async Task WaitForScrapesMatchingAllocationAsync(PrometheusTierRun run, CancellationToken ct)
    {
        var matched = await Eventually.WaitAsync(() => Task.FromResult(ScrapesMatchAllocation(run)), TimeSpan.FromSeconds(60), ct);
        Assert.True(matched, Describe(run));
    }

    private static bool ScrapesMatchAllocation(PrometheusTierRun run)
    {
        var assignment = run.FarmAssignment();
        var scraped = run.ScrapedFarmTargets();
        foreach (var collector in assignment.Values.Distinct())
        {
            var expected = assignment.Where(a => a.Value == collector).Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
            if (!scraped.TryGetValue(collector, out var actual) || !actual.SetEquals(expected))
            {
                return false;
            }
        }

        return scraped.Where(s => !assignment.ContainsValue(s.Key)).All(s => s.Value.Count == 0);
    }

    private static string Describe(PrometheusTierRun run)
    {
        var assignment = run.FarmAssignment();
        // What a replica's unscraped targets wait on: never scraped at all (a loop still in its offset, or waiting for a
        // slot or a timer), or scraped and failing (the error).
        var pending = run.Cluster.Time is OtelLab.Model.Time.LabClock clock ? clock.PendingTimers.ToString(System.Globalization.CultureInfo.InvariantCulture) : "n/a";
        return $"process: scrapes in flight {OtelLab.Sim.Collector.Receivers.Prometheus.Internal.ScrapeSlots.InFlight}/{OtelLab.Sim.Collector.Receivers.Prometheus.Internal.ScrapeSlots.Capacity}, lab timers pending {pending}\n"
            + string.Join("\n", run.ScrapedFarmTargets().Select(s =>
            {
                var targets = run.Receivers[s.Key].Targets.Where(t => t.Job == PrometheusTierRun.FarmJob).ToList();
                return $"{s.Key}: scraped {s.Value.Count}, assigned {assignment.Count(a => a.Value == s.Key)}, farm targets known {targets.Count}, "
                    + $"never scraped {targets.Count(t => t.Scrapes == 0)}, failing {targets.Count(t => t.Scrapes > 0 && !t.Up)}, "
                    + $"down: {string.Join("; ", targets.Where(t => !t.Up).Take(3).Select(t => $"{t.Address} scrapes {t.Scrapes} last {t.LastScrape?.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture) ?? "never"} {t.LastError}"))}";
            }));
    }
}
