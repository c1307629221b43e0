using OtelLab.Sim.Networking;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.PrometheusTier;

/// <summary>
/// The guide's sharding checks on the full sim (payments-fixed, farm pods selected by the api-gateway ServiceMonitor,
/// TA and collectors as pods), at timeScale 10: 30 s intervals take 3 s.
/// </summary>
[Collection(nameof(SimulatedNetworkCollection))]
public sealed class ShardingScenarioTests
{
    private const double TimeScale = 10;

    [Fact]
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

    internal static async Task WaitForAllocationAsync(PrometheusTierRun run, int targets, int replicas, CancellationToken ct)
    {
        var ready = await run.Cluster.WaitUntilAsync(c => run.FarmPods.Count(PrometheusTierRun.IsReady) == targets && run.TargetAllocators.Running.Count == 1, TimeSpan.FromSeconds(120), ct);
        Assert.True(ready, $"farm pods ready: {run.FarmPods.Count(PrometheusTierRun.IsReady)}/{targets}; TAs: {run.TargetAllocators.Running.Count}");
        var allocated = await Eventually.WaitAsync(
            () => Task.FromResult(run.FarmAssignment().Count == targets && run.Allocator.Allocator.Collectors().Count == replicas && run.FarmAssignment().Values.Distinct().Count() == replicas),
            TimeSpan.FromSeconds(60), ct);
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
        return string.Join("\n", run.ScrapedFarmTargets().Select(s =>
            $"{s.Key}: scraped {s.Value.Count}, assigned {assignment.Count(a => a.Value == s.Key)}, targets known {run.Receivers[s.Key].Targets.Count}, "
            + $"down: {string.Join("; ", run.Receivers[s.Key].Targets.Where(t => !t.Up).Take(3).Select(t => $"{t.Address} {t.LastError}"))}"));
    }
}
