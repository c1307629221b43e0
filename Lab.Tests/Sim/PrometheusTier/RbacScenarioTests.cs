using OtelLab.Sim.Networking;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.PrometheusTier;

/// <summary>The guide's RBAC pitfall on the full sim: a TA whose ServiceAccount has only a namespaced Role.</summary>
[Trait("Category", "Lab")]
public sealed class RbacScenarioTests
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_target_allocator_with_only_a_namespaced_role_discovers_nothing_and_logs_the_forbidden_list()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        // Given the tier whose TA discovery role is a Role in observability instead of a ClusterRole (same rules)
        var ct = TestContext.Current.CancellationToken;
        const int targets = 50;
        await using var run = await PrometheusTierRun.StartAsync(targets, 10, (file, text) => file == "02-targetallocator-rbac.yaml"
            ? text.Replace("kind: ClusterRoleBinding\nmetadata:", "kind: RoleBinding\nmetadata:\n  namespace: observability", StringComparison.Ordinal)
                .Replace("kind: ClusterRole\nmetadata:", "kind: Role\nmetadata:\n  namespace: observability", StringComparison.Ordinal)
                .Replace("  kind: ClusterRole\n", "  kind: Role\n", StringComparison.Ordinal)
                .Replace("  - nonResourceURLs: [/metrics]\n    verbs: [get]\n", string.Empty, StringComparison.Ordinal)
            : text, ct);
        Assert.True(await run.Cluster.WaitUntilAsync(c => run.FarmPods.Count(PrometheusTierRun.IsReady) == targets && run.TargetAllocators.Running.Count == 1, TimeSpan.FromSeconds(60), ct));

        // When the TA has run a few of its 5 s ticks (0.5 s at timeScale 10) with all three collectors
        Assert.True(
            await Eventually.WaitAsync(() => Task.FromResult(run.Allocator.Allocator.Collectors().Count == 3 && run.Allocator.TargetUpdates >= 1 && run.Allocator.CollectorUpdates >= 1), TimeSpan.FromSeconds(30), ct),
            $"collectors {run.Allocator.Allocator.Collectors().Count}, target updates {run.Allocator.TargetUpdates}");

        // Then no ServiceMonitor/PodMonitor job and no target exists, and the TA's log carries the API server's refusal
        Assert.Empty(run.Allocator.Allocator.TargetItems());
        Assert.DoesNotContain(run.Allocator.ScrapeConfigs.Keys, j => j.StartsWith("serviceMonitor/", StringComparison.Ordinal));
        var ta = run.Cluster.List<k8s.Models.V1Pod>("observability").Single(p => p.Metadata.Name.StartsWith("otel-prometheus-targetallocator", StringComparison.Ordinal));
        var log = string.Join("\n", run.Agents.LogOf("observability", ta.Metadata.Name, "ta-container")!.Lines());
        Assert.Contains(
            "failed to list *v1.ServiceMonitor: servicemonitors.monitoring.coreos.com is forbidden: User \"system:serviceaccount:observability:otel-targetallocator\" cannot list resource \"servicemonitors\" in API group \"monitoring.coreos.com\" at the cluster scope",
            log);
    }
}
