using k8s.Models;
using OtelLab.Sim.Networking;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.PrometheusTier;

/// <summary>A replica killed for good on the full sim: when its targets move, and how long they go unscraped.</summary>
[Trait("Category", "Lab")]
public sealed class KilledReplicaScenarioTests
{
    private const double TimeScale = 10;

    // Was skipped: the broken replacement threw on start, which the kubelet reports as a terminated container, so the
    // pod was phase Running and upstream's watcher keeps any Running pod (TA internal/collector/collector.go
    // runOnCollectors skips only `Phase != Running && StartTime older than 30 s`; readiness is not read). The broken
    // replica now fails its image pull, so it stays Pending as the scenario intends.
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_killed_replicas_targets_move_after_the_grace_period_and_the_scrape_gap_stays_within_upstreams_timing()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        // Given 300 targets scraped by 3 replicas
        var ct = TestContext.Current.CancellationToken;
        const int targets = 300;
        await using var run = await PrometheusTierRun.StartAsync(targets, TimeScale, cancellationToken: ct);
        await ShardingScenarioTests.WaitForAllocationAsync(run, targets, replicas: 3, ct);
        await ShardingScenarioTests.WaitForScrapesMatchingAllocationAsync(run, ct);
        const string victim = "otel-prometheus-collector-1";
        var victimTargets = run.FarmAssignment().Where(a => a.Value == victim).Select(a => a.Key).ToList();
        Assert.NotEmpty(victimTargets);
        run.Ledger.ResetGaps();

        // When replica 1 is killed and its replacement cannot pull its image (it stays Pending)
        run.BrokenCollectors[victim] = true;
        var killed = DateTimeOffset.UtcNow;
        Assert.True(run.Cluster.Delete("Pod", PrometheusTierRun.Namespace, victim));

        // Then the TA keeps the name during collectorNotReadyGracePeriod (30 s) and drops it afterwards (checked on the next
        // 30 s informer resync, applied on the next 5 s collector tick); its targets go to the other two replicas
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(!run.Allocator.Allocator.Collectors().ContainsKey(victim)), TimeSpan.FromSeconds(30), ct));
        var dropped = DateTimeOffset.UtcNow - killed;
        Assert.True(dropped * TimeScale >= TimeSpan.FromSeconds(30) - TimeSpan.FromSeconds(5), $"dropped after {dropped.TotalSeconds * TimeScale:F0} sim-s, before the grace period");
        Assert.Equal("Pending", run.Cluster.Get<V1Pod>(PrometheusTierRun.Namespace, victim)?.Status?.Phase);
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(run.FarmAssignment().Count == targets && !run.FarmAssignment().ContainsValue(victim)), TimeSpan.FromSeconds(30), ct));
        await ShardingScenarioTests.WaitForScrapesMatchingAllocationAsync(run, ct);

        // and no farm target went unscraped longer than upstream's chain allows: the last scrape before the kill (≤ 1
        // interval) + grace (30 s) + resync (≤ 30 s) + collector tick (≤ 5 s) + http_sd refresh (≤ 30 s) + the new
        // owner's scrape offset (≤ 1 interval) = 155 sim-s, plus 1 s of wall-clock slack for a loaded machine
        var gaps = run.Ledger.MaxGaps();
        var worst = victimTargets.Max(t => gaps.GetValueOrDefault(t));
        var others = gaps.Where(g => !victimTargets.Contains(g.Key) && g.Key.EndsWith(":9100", StringComparison.Ordinal)).Max(g => g.Value);
        TestContext.Current.SendDiagnosticMessage(
            $"dropped after {dropped.TotalSeconds * TimeScale:F0} sim-s; longest gap of the victim's targets {worst.TotalSeconds * TimeScale:F0} sim-s "
            + $"(bound 155 sim-s); others {others.TotalSeconds * TimeScale:F0} sim-s");
        Assert.InRange(worst, TimeSpan.Zero, (TimeSpan.FromSeconds(155) / TimeScale) + TimeSpan.FromSeconds(1));
    }
}
