using System.Collections.Concurrent;
using System.Net;
using k8s.Models;
using OtelLab.Model.Collector;
using OtelLab.Model.Yaml;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Telemetry;
using OtelLab.Sim.Collector.Traces;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Networking;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Tests.Sim.Collector;

/// <summary>
/// Builds one collector component standalone, as the runtime would: a collector pod on a simulated cluster (so the
/// component has a ServiceAccount, env, pod address and resolver), the component's settings from a config snippet,
/// and a capturing next consumer.
/// </summary>
internal sealed class ComponentHarness
{
    private ComponentHarness(SimulatedCluster cluster, ContainerContext container)
    {
        Cluster = cluster;
        Container = container;
    }

    public SimulatedCluster Cluster { get; }

    public ContainerContext Container { get; }

    public MetricRegistry Telemetry { get; } = new();

    public CapturingConsumer Next { get; } = new();

    public ExternalEndpoints Egress { get; } = new();

    /// <summary>
    /// A cluster holding <paramref name="clusterYaml"/> plus a collector pod <c>obs/agent</c> running as ServiceAccount
    /// <c>obs/otel</c> on lab-node-1 with <paramref name="env"/>.
    /// </summary>
    public static async Task<ComponentHarness> StartAsync(string clusterYaml = "", TimeProvider? time = null, IReadOnlyDictionary<string, string>? env = null, int nodes = 2)
    {
        var cluster = SimFixtures.NewCluster(nodes, time);
        var envYaml = string.Join(", ", (env ?? new Dictionary<string, string>()).Select(kv => $"{{name: {kv.Key}, value: \"{kv.Value}\"}}"));
        await SimFixtures.ApplyYamlAsync(cluster, $$"""
            apiVersion: v1
            kind: Namespace
            metadata: {name: obs}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: otel, namespace: obs}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: agent, namespace: obs}
            spec:
              serviceAccountName: otel
              nodeName: lab-node-1
              containers: [{name: otc-container, image: "otel/opentelemetry-collector-contrib:0.115.0", env: [{{envYaml}}]}]
            """);
        if (clusterYaml.Length > 0)
        {
            await SimFixtures.ApplyYamlAsync(cluster, clusterYaml);
        }

        var pod = cluster.Get<V1Pod>("obs", "agent")!;
        var readiness = new ContainerReadiness(() => { });
        var container = new ContainerContext
        {
            Cluster = cluster,
            Pod = pod,
            Container = pod.Spec.Containers[0],
            Environment = pod.Spec.Containers[0].Env?.Select(e => new KeyValuePair<string, string>(e.Name, e.Value ?? string.Empty)).ToList() ?? [],
            PodAddress = IPAddress.Parse(pod.Status.PodIP),
            NodeName = pod.Spec.NodeName,
            NodeAddress = cluster.NodeAddress(pod.Spec.NodeName)!,
            Resolver = new ClusterDns(cluster),
            Time = cluster.Time,
            Log = new ContainerLog(cluster.Time),
            Readiness = readiness,
        };
        return new ComponentHarness(cluster, container);
    }

    /// <summary>The same pod with its components reading the cluster through <paramref name="api"/> (watchOverWire's wire reader).</summary>
    public ComponentHarness WithComponentApi(Func<OtelLab.Model.Rbac.RbacSubject, IClusterReader> api) => new(Cluster, new ContainerContext
    {
        Cluster = Container.Cluster,
        Pod = Container.Pod,
        Container = Container.Container,
        Environment = Container.Environment,
        PodAddress = Container.PodAddress,
        NodeName = Container.NodeName,
        NodeAddress = Container.NodeAddress,
        Resolver = Container.Resolver,
        Time = Container.Time,
        Log = Container.Log,
        Readiness = Container.Readiness,
        ComponentApi = api,
    });

    /// <summary>The create context for component <paramref name="id"/> of <paramref name="kind"/> with settings parsed from <paramref name="settingsYaml"/>.</summary>
    public ComponentCreateContext Context(string id, ComponentKind kind, string settingsYaml, string signal = "traces")
    {
        var section = kind switch
        {
            ComponentKind.Processor => "processors",
            ComponentKind.Exporter => "exporters",
            ComponentKind.Connector => "connectors",
            _ => "receivers",
        };
        var indented = string.Join('\n', settingsYaml.Split('\n').Select(l => "    " + l));
        var text = $"{section}:\n  {id}:\n{indented}\n";
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var config = CollectorConfigParser.Parse(root, new YamlReader("collector.yaml"));
        var componentId = ComponentId.Parse(id);
        var component = config.AllComponents.Single(c => c.Id == componentId);
        return new ComponentCreateContext
        {
            Id = componentId,
            Kind = kind,
            Signal = signal,
            Settings = component.Settings,
            Config = config,
            Container = Container,
            Telemetry = Telemetry,
            NextTraces = Next,
            NextMetrics = Next,
            Egress = Egress,
        };
    }

    public V1Pod Pod(string ns, string name) => Cluster.Get<V1Pod>(ns, name)!;

    public V1Pod PodOf(string ns, string labelSelector) => SimFixtures.PodsOf(Cluster, ns, labelSelector).Single();
}

/// <summary>A next consumer that keeps what it was given.</summary>
internal sealed class CapturingConsumer : ITraceConsumer, IMetricConsumer
{
    public ConcurrentQueue<IReadOnlyList<TraceSpan>> SpanBatches { get; } = new();

    public ConcurrentQueue<IReadOnlyList<MetricPoint>> PointBatches { get; } = new();

    public IReadOnlyList<TraceSpan> Spans => SpanBatches.SelectMany(b => b).ToList();

    public IReadOnlyList<MetricPoint> Points => PointBatches.SelectMany(b => b).ToList();

    public ValueTask ConsumeAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken)
    {
        SpanBatches.Enqueue(spans);
        return ValueTask.CompletedTask;
    }

    public ValueTask ConsumeAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        PointBatches.Enqueue(points);
        return ValueTask.CompletedTask;
    }
}
