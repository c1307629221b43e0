using OtelLab.Sim.Networking;
using OtelLab.Sim.TargetAllocation;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.PrometheusTier;

/// <summary>Scaling the guide's StatefulSet through the CR on the full sim: what moves, and who scrapes it afterwards.</summary>
[Trait("Category", "Lab")]
public sealed class RescaleScenarioTests
{
    private const double TimeScale = 10;

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Scaling_3_to_4_moves_what_the_ring_moves_and_4_to_3_moves_only_what_must_move()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        // Given payments-fixed's tier with 1,000 farm targets allocated over 3 replicas
        var ct = TestContext.Current.CancellationToken;
        const int targets = 1000;
        await using var run = await PrometheusTierRun.StartAsync(targets, TimeScale, cancellationToken: ct);
        await ShardingScenarioTests.WaitForAllocationAsync(run, targets, replicas: 3, ct);
        var three = run.FarmAssignment();

        // When the CR is re-applied with 4 replicas
        await run.ScaleCollectorsAsync(4, ct);
        await ShardingScenarioTests.WaitForAllocationAsync(run, targets, replicas: 4, ct);
        var four = run.FarmAssignment();

        // Then the TA's assignment is exactly the consistent-hashing ring's for the 4 names (upstream: only the ring
        // decides), the moved fraction is the ring's (≈30 % with bounded loads, not 25 %: partitions whose cap changes move
        // too), and every replica then scrapes exactly its new slice
        Assert.Equal(Ring(run, four.Keys, 4), four);
        var movedUp = three.Count(a => four[a.Key] != a.Value);
        TestContext.Current.SendDiagnosticMessage($"3 → 4: {movedUp} of {targets} moved ({100.0 * movedUp / targets:F1} %)");
        Assert.InRange(movedUp, (int)(0.2 * targets), (int)(0.4 * targets));
        await ShardingScenarioTests.WaitForScrapesMatchingAllocationAsync(run, ct);

        // When it goes back to 3
        await run.ScaleCollectorsAsync(3, ct);
        await ShardingScenarioTests.WaitForAllocationAsync(run, targets, replicas: 3, ct);
        var back = run.FarmAssignment();

        // Then every target of the removed replica moved, everything else moved only where the ring's caps changed, and
        // the assignment is the original one again (the ring depends only on the names)
        Assert.Equal(three, back);
        var removed = four.Where(a => a.Value == "otel-prometheus-collector-3").Select(a => a.Key).ToList();
        var movedDown = four.Count(a => back[a.Key] != a.Value);
        TestContext.Current.SendDiagnosticMessage($"4 → 3: {movedDown} moved, of which {removed.Count} from the removed replica");
        Assert.All(removed, t => Assert.NotEqual("otel-prometheus-collector-3", back[t]));
        Assert.Equal(movedUp, movedDown);
        await ShardingScenarioTests.WaitForScrapesMatchingAllocationAsync(run, ct);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Least_weighted_scale_out_leaves_the_new_replica_without_targets()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        // Given the tier with allocationStrategy least-weighted and 300 targets over 3 replicas
        var ct = TestContext.Current.CancellationToken;
        const int targets = 300;
        await using var run = await PrometheusTierRun.StartAsync(
            targets, TimeScale, (file, text) => text.Replace("allocationStrategy: consistent-hashing", "allocationStrategy: least-weighted", StringComparison.Ordinal), ct);
        await ShardingScenarioTests.WaitForAllocationAsync(run, targets, replicas: 3, ct);
        var before = run.FarmAssignment();

        // When it scales out to 4 (the CR keeps least-weighted)
        await run.ApplyAsync("11-otel-prometheus.yaml", File.ReadAllText(Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests", "11-otel-prometheus.yaml"))
            .Replace("allocationStrategy: consistent-hashing", "allocationStrategy: least-weighted", StringComparison.Ordinal)
            .Replace("replicas: 3", "replicas: 4", StringComparison.Ordinal), ct);
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(run.Allocator.Allocator.Collectors().Count == 4), TimeSpan.FromSeconds(60), ct));
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(run.Allocator.CollectorUpdates > 0 && run.FarmAssignment().Count == targets), TimeSpan.FromSeconds(30), ct));

        // Then the new replica owns nothing and nothing moved (operator#2477: least-weighted assigns only new targets)
        var after = run.FarmAssignment();
        Assert.DoesNotContain("otel-prometheus-collector-3", after.Values);
        Assert.Equal(before, after);
    }

    private static Dictionary<string, string> Ring(PrometheusTierRun run, IEnumerable<string> urls, int replicas)
    {
        var strategy = new ConsistentHashingStrategy();
        var collectors = Enumerable.Range(0, replicas).Select(i => new CollectorReplica($"otel-prometheus-collector-{i}", "n"))
            .ToDictionary(c => c.Name, StringComparer.Ordinal);
        strategy.SetCollectors(collectors);
        var items = run.Allocator.Allocator.TargetItems().Values.Where(t => t.JobName == PrometheusTierRun.FarmJob).ToDictionary(t => t.TargetUrl, StringComparer.Ordinal);
        return urls.ToDictionary(u => u, u => strategy.GetCollectorForTarget(collectors, items[u], out _)!.Name, StringComparer.Ordinal);
    }
}
