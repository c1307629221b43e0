using k8s.Models;
using OtelLab.AppHost.Lab;
using OtelLab.Scenarios;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Definition;
using OtelLab.Sim.Collector.Processors.K8sAttributes;
using OtelLab.Tests.Sim.ApiServer;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios;

/// <summary>
/// watchOverWire: the Target Allocator's discovery, k8sattributes and the operator read (the operator also writes)
/// the cluster through the API server over HTTP; payments-fixed's enrichment and sharding checks pass in both modes,
/// and what kubectl does reaches them.
/// </summary>
[Trait("Category", "Lab")]
public sealed class WatchOverWireOnPaymentsFixedTests
{
    private const string MonitorJob = "serviceMonitor/observability/api-gateway/0";

    // Judged once this many spans arrived: the startup window's unenriched spans (see below) are then under the check's 1 %.
    private const int SpansJudged = 3000;

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [Trait("Speed", "Slow")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Enrichment_and_sharding_pass_in_both_modes(bool overWire)
    {
        ScenarioRun.SkipUnlessRunnable();
        var ct = TestContext.Current.CancellationToken;

        // Given payments-fixed up with its components reading in process or over the wire
        var scenario = ScenarioLoader.Load(RepoPaths.Scenario("payments-fixed")) with { WatchOverWire = overWire };
        await using var lab = SimLab.Create(LabComposition.Options(scenario) with { ReadyTimeout = TimeSpan.FromMinutes(4) });
        Assert.True(await lab.StartAsync(ct), string.Join("\n", lab.Graph.Snapshots()));
        var context = new CheckContext { Scenario = scenario, Manifests = lab.Manifests, Lab = lab, DataWithin = TimeSpan.FromSeconds(30) };

        // When the enrichment and sharding checks run
        // (after enough spans: fraud-score's first spans can pass the agent before its informer has synced, over the
        // wire as with the real k8sattributes without wait_for_metadata; 18–24 spans were measured on a loaded machine)
        Assert.True(await lab.Dynatrace!.Captures.WaitUntilAsync(c => c.Spans().Count >= SpansJudged, TimeSpan.FromSeconds(150), ct), $"dynatrace holds {lab.Dynatrace.Captures.Spans().Count} spans");
        var enrichment = await new EnrichmentCheck().RunAsync(context, ct);
        var sharding = await new ShardingCheck().RunAsync(context, ct);

        // Then both pass, and only the wire mode holds watches open on the API server (nothing else watches here)
        Assert.True(enrichment.Outcome == CheckOutcome.Pass, Describe(enrichment));
        Assert.True(sharding.Outcome == CheckOutcome.Pass, Describe(sharding));
        var watches = lab.ApiServer!.OpenWatches;
        Assert.True(overWire ? watches > 0 : watches == 0, $"open watches: {watches}");

        // And over the wire the operator is an API client whose reconciles made the collectors' workloads (no
        // reconciler runs in the store's write path then), in process it is not
        Assert.Equal(overWire, lab.OperatorOnWire is not null);
        if (lab.OperatorOnWire is { } op)
        {
            Assert.True(op.Reconciles > 0, string.Join('\n', op.Log));
        }
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task What_kubectl_does_reaches_the_target_allocator_k8sattributes_and_the_operator_over_the_wire()
    {
        ScenarioRun.SkipUnlessRunnable();
        var ct = TestContext.Current.CancellationToken;
        var scenario = ScenarioLoader.Load(RepoPaths.Scenario("payments-fixed")) with { WatchOverWire = true };
        await using var lab = SimLab.Create(LabComposition.Options(scenario with { Load = scenario.Load with { Duration = TimeSpan.Zero } }) with { ReadyTimeout = TimeSpan.FromMinutes(4) });
        Assert.True(await lab.StartAsync(ct), string.Join("\n", lab.Graph.Snapshots()));
        var agents = K8sAttributes(lab);
        Assert.NotEmpty(agents);
        var cachedBefore = agents.Sum(p => p.CachedPods);
        var allocator = Assert.Single(lab.TargetAllocators.Values);
        using var scratch = new TempDirectory();

        // When kubectl creates a Service the ServiceMonitor api-gateway selects (any namespace), and a pod behind it
        var file = Path.Combine(scratch.Path, "api-gateway.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: v1
            kind: Service
            metadata: { name: api-gateway, namespace: payments, labels: { app: api-gateway } }
            spec:
              selector: { app: api-gateway }
              ports: [{ name: metrics, port: 9100 }]
            ---
            apiVersion: v1
            kind: Pod
            metadata: { name: api-gateway-0, namespace: payments, labels: { app: api-gateway } }
            spec:
              containers: [{ name: gateway, image: example/api-gateway:1.0, ports: [{ name: metrics, containerPort: 9100 }] }]
            """, ct);
        var (code, stdout, stderr) = await Kubectl.RunAsync(lab.KubeconfigPath!, scratch.Path, Kubectl.Default, "apply", "-f", file);
        Assert.True(code == 0, stderr);
        Assert.Contains("pod/api-gateway-0 created", stdout, StringComparison.Ordinal);

        // Then the TA discovers the pod as a target of the monitor's job, and k8sattributes caches it
        var ip = await PodIpAsync(lab, ct);
        // (the TA's targets are not cluster objects: poll them, a cluster wait would only look again on the next cluster change)
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(allocator.Allocator.TargetItems().Values.Any(t => t.JobName == MonitorJob && t.TargetUrl == $"{ip}:9100")), TimeSpan.FromSeconds(60), ct),
            $"the TA has no {MonitorJob} target {ip}:9100: {string.Join(", ", allocator.Allocator.TargetItems().Values.Where(t => t.JobName == MonitorJob))}");
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(agents.Sum(p => p.CachedPods) > cachedBefore), TimeSpan.FromSeconds(30), ct),
            $"k8sattributes caches {agents.Sum(p => p.CachedPods)} pods, {cachedBefore} before");

        // When kubectl deletes the gateway's Deployment, the operator (an API client here) puts it back, Ready
        var operatorLog = () => string.Join('\n', lab.OperatorOnWire!.Log);
        (code, stdout, stderr) = await Kubectl.RunAsync(lab.KubeconfigPath!, scratch.Path, Kubectl.Default, "delete", "deployment", "otel-gateway-collector", "-n", "observability");
        Assert.True(code == 0, stderr);
        (code, stdout, stderr) = await Kubectl.RunAsync(lab.KubeconfigPath!, scratch.Path, Kubectl.Default, "rollout", "status", "deployment/otel-gateway-collector", "-n", "observability", "--timeout=60s");
        Assert.True(code == 0, $"{stdout}\n{stderr}\n{operatorLog()}");
        Assert.Contains("successfully rolled out", stdout, StringComparison.Ordinal);

        // And a config edit of the CR with kubectl rolls the gateway onto its new hashed ConfigMap
        var before = GatewayConfigMap(lab);
        (code, _, stderr) = await Kubectl.RunAsync(lab.KubeconfigPath!, scratch.Path, Kubectl.Default,
            "patch", "opentelemetrycollector", "otel-gateway", "-n", "observability", "--type=merge", "-p", """{"spec":{"config":{"processors":{"batch":{"send_batch_size":4096}}}}}""");
        Assert.True(code == 0, stderr);
        Assert.True(await lab.Cluster!.WaitUntilAsync(_ => GatewayConfigMap(lab) != before, TimeSpan.FromSeconds(30), ct), operatorLog());
        (code, stdout, stderr) = await Kubectl.RunAsync(lab.KubeconfigPath!, scratch.Path, Kubectl.Default, "rollout", "status", "deployment/otel-gateway-collector", "-n", "observability", "--timeout=60s");
        Assert.True(code == 0, $"{stdout}\n{stderr}\n{operatorLog()}");
        Assert.All(lab.Cluster!.List<V1Pod>("observability").Where(p => p.Metadata.Name.StartsWith("otel-gateway-collector-", StringComparison.Ordinal)),
            p => Assert.Equal(GatewayConfigMap(lab), p.Spec.Volumes?.Select(v => v.ConfigMap?.Name).FirstOrDefault(n => n is not null)));
    }

    private static string? GatewayConfigMap(SimLab lab) =>
        lab.Cluster!.Get<V1Deployment>("observability", "otel-gateway-collector")?.Spec.Template.Spec.Volumes?.Select(v => v.ConfigMap?.Name).FirstOrDefault(n => n is not null);

    private static async Task<string> PodIpAsync(SimLab lab, CancellationToken ct)
    {
        string? ip = null;
        Assert.True(await lab.Cluster!.WaitUntilAsync(c => (ip = c.Get<V1Pod>("payments", "api-gateway-0")?.Status?.PodIP) is { Length: > 0 }, TimeSpan.FromSeconds(30), ct));
        return ip!;
    }

    private static List<K8sAttributesProcessor> K8sAttributes(SimLab lab) =>
        [.. lab.Collectors.SelectMany(c => c.Instance.Service.Components.Select(x => x.Component).OfType<K8sAttributesProcessor>()).Distinct()];

    private static string Describe(CheckResult r) =>
        $"{r.Id} {r.Outcome}: {r.Summary}\n{string.Join("\n", r.Findings.SelectMany(f => f.Evidence))}";
}
