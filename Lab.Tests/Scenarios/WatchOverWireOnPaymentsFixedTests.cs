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

    // The start-up window is over once this many spans arrived (at payments-fixed's ~120 spans/s of wall time, ~8 s after
    // the first: the spans that passed an agent before its informer saw their pod were decided and delivered by then),
    // and this many more are the population judged after it.
    private const int StartupWindowSpans = 1000;
    private const int SpansJudged = 1000;

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [Trait("Speed", "Slow")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_span_after_the_start_up_window_is_enriched_and_sharding_passes_in_both_modes(bool overWire)
    {
        ScenarioRun.SkipUnlessRunnable();
        var ct = TestContext.Current.CancellationToken;

        // Given payments-fixed up with its components reading in process or over the wire
        var scenario = ScenarioLoader.Load(RepoPaths.Scenario("payments-fixed")) with { WatchOverWire = overWire };
        await using var lab = SimLab.Create(LabComposition.Options(scenario) with { ReadyTimeout = TimeSpan.FromMinutes(4) });
        Assert.True(await lab.StartAsync(ct), string.Join("\n", lab.Graph.Snapshots()));
        var context = new CheckContext { Scenario = scenario, Manifests = lab.Manifests, Lab = lab, DataWithin = TimeSpan.FromSeconds(30) };

        // When the start-up window has passed, and then the population judged has arrived
        // (a process pod's first spans can pass its node's agent before the agent's informer has seen the pod's IP: the
        // real k8sattributes without wait_for_metadata passes them on unenriched, in process and over the wire alike;
        // 18–75 such spans were measured, more on a busy machine, so they are counted apart rather than diluted)
        var dynatrace = lab.Dynatrace!.Captures;
        Assert.True(await dynatrace.WaitUntilAsync(c => c.Spans().Count >= StartupWindowSpans, TimeSpan.FromSeconds(150), ct), $"dynatrace holds {dynatrace.Spans().Count} spans");
        var (_, windowEnd) = dynatrace.SpansSince(0);
        Assert.True(await dynatrace.WaitUntilAsync(c => c.Spans().Count >= windowEnd + SpansJudged, TimeSpan.FromSeconds(150), ct), $"dynatrace holds {dynatrace.Spans().Count} spans");
        var (judged, _) = dynatrace.SpansSince(windowEnd);
        var sharding = await new ShardingCheck().RunAsync(context, ct);

        // Then every one of the judged spans carries k8s.pod.name, in each service; sharding passes; and only the wire mode
        // holds watches open on the API server (nothing else watches here)
        var attribute = scenario.Expectations.EnrichmentAttribute;
        var unenriched = judged.Where(sp => !sp.Resource.Attributes.Any(a => a.Key == attribute)).GroupBy(sp => sp.ServiceName).Select(g => $"{g.Key}: {g.Count()}").ToList();
        Assert.True(judged.Count >= SpansJudged && unenriched.Count == 0,
            $"{judged.Count} spans after the first {windowEnd}: without {attribute}: {string.Join(", ", unenriched)}");
        Assert.True(judged.Select(sp => sp.ServiceName).Distinct().Count() >= 3, string.Join(", ", judged.Select(sp => sp.ServiceName).Distinct()));
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
