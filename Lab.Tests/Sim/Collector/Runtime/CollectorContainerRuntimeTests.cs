using k8s.Models;
using OtelLab.Sim.Collector.Runtime;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Networking;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Collector.Runtime;

/// <summary>Collector images under the kubelet: the operator-style ConfigMap volume and --config arg, crash-looping on a bad config.</summary>
[Collection(nameof(SimulatedNetworkCollection))]
[Trait("Category", "Lab")]
public sealed class CollectorContainerRuntimeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static string Manifests(string image, string processor) => """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: gw-collector-abc12345, namespace: default}
        data:
          collector.yaml: |
            receivers: {otlp: {protocols: {grpc: {endpoint: "0.0.0.0:4317"}}}}
            processors: {PROCESSOR: {}}
            exporters: {debug: {}}
            service:
              telemetry: {metrics: {level: none}}
              pipelines: {traces: {receivers: [otlp], processors: [PROCESSOR], exporters: [debug]}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: gw-collector, namespace: default}
        spec:
          replicas: 1
          selector: {matchLabels: {app: gw}}
          template:
            metadata: {labels: {app: gw}}
            spec:
              containers:
                - name: otc-container
                  image: IMAGE
                  args: ["--config=/conf/collector.yaml"]
                  volumeMounts: [{name: otc-internal, mountPath: /conf}]
              volumes:
                - name: otc-internal
                  configMap: {name: gw-collector-abc12345, items: [{key: collector.yaml, path: collector.yaml}]}
        """.Replace("PROCESSOR", processor, StringComparison.Ordinal).Replace("IMAGE", image, StringComparison.Ordinal);

    private static V1ContainerStatus? Status(OtelLab.Sim.Cluster.SimulatedCluster cluster) =>
        cluster.List<V1Pod>("default").SingleOrDefault()?.Status?.ContainerStatuses?.SingleOrDefault();

    private static (OtelLab.Sim.Cluster.SimulatedCluster Cluster, CollectorContainerRuntime Runtime, NodeAgents Agents) Start()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        var cluster = SimFixtures.NewCluster(nodes: 1);
        var runtime = new CollectorContainerRuntime(new ExternalEndpoints());
        return (cluster, runtime, NodeAgents.Start(cluster, new KubeletOptions { Runtimes = [runtime] }));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task An_unknown_component_in_a_core_image_crash_loops_with_upstreams_error_in_the_log()
    {
        // Given the kubelet running collector images, and a core-image collector whose config names k8sattributes
        var ct = TestContext.Current.CancellationToken;
        var (cluster, runtime, agents) = Start();
        await using var _ = agents;

        // When it is applied
        await SimFixtures.ApplyYamlAsync(cluster, Manifests("otel/opentelemetry-collector:0.159.0", "k8sattributes"));

        // Then the container exits 1 and backs off, with otelcol's two fatal lines in its log
        Assert.True(await cluster.WaitUntilAsync(c => Status(c)?.State?.Waiting?.Reason == "CrashLoopBackOff", Wait, ct));
        var pod = cluster.List<V1Pod>("default").Single();
        var log = agents.LogOf("default", pod.Metadata.Name, "otc-container")!.Lines();
        Assert.Contains("Error: failed to get config: cannot unmarshal the configuration: decoding failed due to the following error(s):", log);
        Assert.Contains(log, l => l.StartsWith("'processors' unknown type: \"k8sattributes\" for id: \"k8sattributes\" (valid values: [", StringComparison.Ordinal));
        Assert.Contains(log, l => l.EndsWith(" collector server run finished with error: failed to get config: cannot unmarshal the configuration: decoding failed due to the following error(s):", StringComparison.Ordinal));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_misspelt_key_crash_loops_with_the_config_decode_error_in_the_log()
    {
        // Given the kubelet running collector images, and a 0.105.0 collector whose batch processor has "timout"
        var ct = TestContext.Current.CancellationToken;
        var (cluster, _, agents) = Start();
        await using var _ = agents;
        var manifests = Manifests("otel/opentelemetry-collector-contrib:0.105.0", "batch")
            .Replace("processors: {batch: {}}", "processors: {batch: {timout: 5s}}", StringComparison.Ordinal);

        // When it is applied
        await SimFixtures.ApplyYamlAsync(cluster, manifests);

        // Then the container exits 1 and backs off, its log holding what otelcol 0.105 prints, line by line
        Assert.True(await cluster.WaitUntilAsync(c => Status(c)?.State?.Waiting?.Reason == "CrashLoopBackOff", Wait, ct));
        var pod = cluster.List<V1Pod>("default").Single();
        var log = agents.LogOf("default", pod.Metadata.Name, "otc-container")!.Lines();
        var error = log.SkipWhile(l => !l.StartsWith("Error: ", StringComparison.Ordinal)).Take(5).ToList();
        Assert.Equal(
            [
                "Error: failed to get config: cannot unmarshal the configuration: 1 error(s) decoding:",
                string.Empty,
                "* error decoding 'processors': error reading configuration for \"batch\": 1 error(s) decoding:",
                string.Empty,
                "* '' has invalid keys: timout",
            ],
            error);
        Assert.Contains(log, l => l.EndsWith(" collector server run finished with error: failed to get config: cannot unmarshal the configuration: 1 error(s) decoding:", StringComparison.Ordinal));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_valid_config_runs_and_the_pod_becomes_ready_listening_on_its_address()
    {
        // Given the same collector with batch (present in core)
        var ct = TestContext.Current.CancellationToken;
        var (cluster, runtime, agents) = Start();
        await using var _ = agents;

        // When it is applied
        await SimFixtures.ApplyYamlAsync(cluster, Manifests("otel/opentelemetry-collector:0.159.0", "batch"));

        // Then the pod is Ready and its collector serves OTLP/gRPC on the pod IP
        var ready = await cluster.WaitUntilAsync(c => Status(c)?.Ready == true, Wait, ct);
        var pod = cluster.List<V1Pod>("default").Single();
        Assert.True(ready, string.Join('\n', agents.LogOf("default", pod.Metadata.Name, "otc-container")?.Lines() ?? []) + "\n" + k8s.KubernetesJson.Serialize(Status(cluster)));
        var collector = runtime.Find("default", pod.Metadata.Name)!;
        var receiver = (OtelLab.Sim.Collector.Receivers.Otlp.OtlpReceiver)collector.Service.Find("otlp")!;
        Assert.Equal(pod.Status.PodIP, receiver.GrpcEndpoint!.Address.ToString());
        Assert.Contains(collector.Log.Lines(), l => l.Contains("Everything is ready. Begin running and processing data.", StringComparison.Ordinal));
    }
}
