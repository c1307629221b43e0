using System.Net;
using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Processors.K8sAttributes;
using OtelLab.Sim.Collector.Traces;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Collector.Processors.K8sAttributes;

[Trait("Category", "Component")]
public sealed class K8sAttributesProcessorTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private const string Rbac = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: otel-k8sattributes}
        rules:
        - {apiGroups: [""], resources: [pods, namespaces], verbs: [get, list, watch]}
        - {apiGroups: [apps], resources: [replicasets], verbs: [get, list, watch]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: otel-k8sattributes}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: otel-k8sattributes}
        subjects: [{kind: ServiceAccount, name: otel, namespace: obs}]
        """;

    private const string App = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: payments, namespace: shop}
        spec:
          replicas: 1
          selector: {matchLabels: {app: payments}}
          template:
            metadata:
              labels: {app: payments, team.example.com/owner: billing}
              annotations: {build: "1234"}
            spec: {nodeName: lab-node-2, containers: [{name: main, image: "registry.local/payments:2.1"}]}
        """;

    private static TraceSpan Span(TelemetryResource? resource = null) =>
        new() { TraceId = new TraceId(1, 2), SpanId = 3, Name = "pay", Resource = resource ?? TelemetryResource.ForService("payments") };

    private static async Task<(ComponentHarness Harness, K8sAttributesProcessor Processor)> StartAsync(string settings, string clusterYaml, IReadOnlyDictionary<string, string>? env = null)
    {
        var harness = await ComponentHarness.StartAsync(clusterYaml, env: env);
        var processor = (K8sAttributesProcessor)new K8sAttributesFactory().Create(harness.Context("k8sattributes", ComponentKind.Processor, settings));
        await processor.StartAsync(TestContext.Current.CancellationToken);
        return (harness, processor);
    }

    private static async Task<IReadOnlyDictionary<string, AttributeValue>> SendFromAsync(ComponentHarness harness, K8sAttributesProcessor processor, string? ip, TelemetryResource? resource = null)
    {
        var before = harness.Next.SpanBatches.Count;
        if (ip is null)
        {
            await processor.ConsumeAsync([Span(resource)], TestContext.Current.CancellationToken);
        }
        else
        {
            using (ClientInfo.Enter(new ClientInfo(IPAddress.Parse(ip), new Dictionary<string, string>())))
            {
                await processor.ConsumeAsync([Span(resource)], TestContext.Current.CancellationToken);
            }
        }

        return harness.Next.SpanBatches.ElementAt(before).Single().Resource.Attributes;
    }

    [Fact]
    public async Task Connection_ip_finds_the_pod_and_adds_upstreams_default_metadata_with_the_deployment_via_its_ReplicaSet()
    {
        // Given RBAC for pods and replicasets and a payments Deployment
        var (harness, processor) = await StartAsync("{}", Rbac + "\n---\n" + App);
        await using var _ = processor;
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(processor.CachedPods >= 2 && processor.CachedReplicaSets >= 1), Wait, TestContext.Current.CancellationToken));
        var pod = harness.PodOf("shop", "app=payments");

        // When a span arrives over a connection from the payments pod, naming its container
        var resource = new TelemetryResource(new Dictionary<string, AttributeValue> { ["service.name"] = "payments", ["k8s.container.name"] = "main" });
        var attrs = await SendFromAsync(harness, processor, pod.Status.PodIP, resource);

        // Then upstream's default metadata is on the resource, and k8s.pod.ip from the connection
        Assert.Equal("shop", attrs["k8s.namespace.name"].Str);
        Assert.Equal(pod.Metadata.Name, attrs["k8s.pod.name"].Str);
        Assert.Equal(pod.Metadata.Uid, attrs["k8s.pod.uid"].Str);
        Assert.Equal("payments", attrs["k8s.deployment.name"].Str);
        Assert.Equal("lab-node-2", attrs["k8s.node.name"].Str);
        Assert.Equal(pod.Metadata.CreationTimestamp!.Value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), attrs["k8s.pod.start_time"].Str);
        Assert.Equal("registry.local/payments", attrs["container.image.name"].Str);
        Assert.Equal("2.1", attrs["container.image.tag"].Str);
        Assert.Equal(pod.Status.PodIP, attrs["k8s.pod.ip"].Str);
        Assert.False(attrs.ContainsKey("k8s.replicaset.name")); // not in the default list
        Assert.DoesNotContain("otelsvc_k8s_ip_lookup_miss 1", harness.Telemetry.RenderPrometheus(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_rbac_it_fails_open_logs_the_api_servers_forbidden_error_and_counts_lookup_misses()
    {
        // Given no RBAC for the collector's ServiceAccount
        var (harness, processor) = await StartAsync("{}", App);
        await using var _ = processor;
        const string Forbidden = "pods is forbidden: User \"system:serviceaccount:obs:otel\" cannot list resource \"pods\" in API group \"\" at the cluster scope";
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(harness.Container.Log.Lines().Any(l => l.Contains(Forbidden, StringComparison.Ordinal))), Wait, TestContext.Current.CancellationToken));
        var pod = harness.PodOf("shop", "app=payments");

        // When two spans arrive from the payments pod
        var first = await SendFromAsync(harness, processor, pod.Status.PodIP);
        await SendFromAsync(harness, processor, pod.Status.PodIP);

        // Then they pass unenriched (only the connection's k8s.pod.ip), and each lookup is a counted miss
        Assert.False(first.ContainsKey("k8s.deployment.name"));
        Assert.False(first.ContainsKey("k8s.pod.name"));
        Assert.Equal(pod.Status.PodIP, first["k8s.pod.ip"].Str);
        Assert.Equal(2, harness.Telemetry.RenderPrometheus().Split('\n').Where(l => l.StartsWith("otelsvc_k8s_ip_lookup_miss ", StringComparison.Ordinal)).Select(l => int.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)).Single());
        Assert.Contains(harness.Container.Log.Lines(), l => l.Contains("failed to list *v1.Pod: " + Forbidden, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Granting_rbac_later_lets_the_retrying_informer_sync_and_enrichment_starts()
    {
        // Given a processor refused by RBAC (fail-open, retrying like client-go's reflector)
        var (harness, processor) = await StartAsync("{}", App);
        await using var _ = processor;
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(harness.Container.Log.Lines().Count > 0), Wait, TestContext.Current.CancellationToken));
        Assert.False(processor.PodsSynced);

        // When the ClusterRole and binding are applied
        await SimFixtures.ApplyYamlAsync(harness.Cluster, Rbac);

        // Then a later retry lists the pods and spans get the deployment name
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(processor.CachedPods >= 2 && processor.CachedReplicaSets >= 1), Wait, TestContext.Current.CancellationToken));
        var attrs = await SendFromAsync(harness, processor, harness.PodOf("shop", "app=payments").Status.PodIP);
        Assert.Equal("payments", attrs["k8s.deployment.name"].Str);
    }

    [Fact]
    public async Task After_batch_the_connection_address_is_lost_so_nothing_is_enriched_or_counted()
    {
        // Given a fully permitted processor with the payments pod cached
        var (harness, processor) = await StartAsync("{}", Rbac + "\n---\n" + App);
        await using var _ = processor;
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(processor.CachedPods >= 2), Wait, TestContext.Current.CancellationToken));

        // When the span arrives with no client info (the batch processor exports from its own goroutine)
        var attrs = await SendFromAsync(harness, processor, ip: null);

        // Then no pod can be identified: no metadata, no k8s.pod.ip, and no lookup happened to miss
        Assert.Equal(["service.name"], attrs.Keys);
        Assert.DoesNotContain("otelsvc_k8s_ip_lookup_miss 1", harness.Telemetry.RenderPrometheus(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Passthrough_sets_only_k8s_pod_ip_and_never_calls_the_api()
    {
        // Given passthrough and no RBAC at all
        var (harness, processor) = await StartAsync("passthrough: true", App);
        await using var _ = processor;
        var pod = harness.PodOf("shop", "app=payments");

        // When a span arrives from the pod
        var attrs = await SendFromAsync(harness, processor, pod.Status.PodIP);

        // Then only k8s.pod.ip is added and no forbidden error was logged
        Assert.Equal(["k8s.pod.ip", "service.name"], attrs.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(pod.Status.PodIP, attrs["k8s.pod.ip"].Str);
        Assert.Empty(harness.Container.Log.Lines());
    }

    [Fact]
    public async Task Resource_attribute_k8s_pod_ip_wins_over_the_connection_and_present_attributes_are_not_overwritten()
    {
        // Given the pod cached
        var (harness, processor) = await StartAsync("{}", Rbac + "\n---\n" + App);
        await using var _ = processor;
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(processor.CachedPods >= 2), Wait, TestContext.Current.CancellationToken));
        var pod = harness.PodOf("shop", "app=payments");

        // When a gateway receives it from an agent (connection = agent pod) with k8s.pod.ip set and a custom namespace name
        var resource = new TelemetryResource(new Dictionary<string, AttributeValue> { ["k8s.pod.ip"] = pod.Status.PodIP, ["k8s.namespace.name"] = "kept" });
        var attrs = await SendFromAsync(harness, processor, harness.Container.PodAddress.ToString(), resource);

        // Then the pod named by k8s.pod.ip is used and the existing value stays
        Assert.Equal(pod.Metadata.Name, attrs["k8s.pod.name"].Str);
        Assert.Equal("kept", attrs["k8s.namespace.name"].Str);
    }

    [Fact]
    public async Task Pod_association_rules_use_the_first_rule_whose_sources_all_resolve()
    {
        // Given rules: [name + namespace], then [connection]
        var settings = """
            pod_association:
            - sources: [{from: resource_attribute, name: k8s.pod.name}, {from: resource_attribute, name: k8s.namespace.name}]
            - sources: [{from: connection}]
            """;
        var (harness, processor) = await StartAsync(settings, Rbac + "\n---\n" + App);
        await using var _ = processor;
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(processor.CachedPods >= 2), Wait, TestContext.Current.CancellationToken));
        var pod = harness.PodOf("shop", "app=payments");

        // When one resource has only k8s.pod.name (first rule incomplete) and arrives from the agent's own address
        var partial = new TelemetryResource(new Dictionary<string, AttributeValue> { ["k8s.pod.name"] = pod.Metadata.Name });
        var viaConnection = await SendFromAsync(harness, processor, harness.Container.PodAddress.ToString(), partial);
        var full = new TelemetryResource(new Dictionary<string, AttributeValue> { ["k8s.pod.name"] = pod.Metadata.Name, ["k8s.namespace.name"] = "shop" });
        var viaName = await SendFromAsync(harness, processor, harness.Container.PodAddress.ToString(), full);

        // Then the first falls through to the connection rule (the agent pod), the second matches by name
        Assert.Equal(harness.Pod("obs", "agent").Metadata.Uid, viaConnection["k8s.pod.uid"].Str);
        Assert.Equal(pod.Metadata.Uid, viaName["k8s.pod.uid"].Str);
        Assert.False(viaName.ContainsKey("k8s.pod.ip")); // no connection source in the matching rule
    }

    [Fact]
    public async Task Node_from_env_var_restricts_the_cache_to_pods_on_that_node()
    {
        // Given the agent on lab-node-1 watching only its node, and the app on lab-node-2
        var settings = "filter: {node_from_env_var: K8S_NODE_NAME}";
        var (harness, processor) = await StartAsync(settings, Rbac + "\n---\n" + App, new Dictionary<string, string> { ["K8S_NODE_NAME"] = "lab-node-1" });
        await using var _ = processor;
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(processor.PodsSynced && processor.CachedPods >= 1), Wait, TestContext.Current.CancellationToken));
        var pod = harness.PodOf("shop", "app=payments");

        // When a span comes from the other node's pod
        var attrs = await SendFromAsync(harness, processor, pod.Status.PodIP);

        // Then only the agent itself is cached and the lookup misses
        Assert.Equal(1, processor.CachedPods);
        Assert.False(attrs.ContainsKey("k8s.pod.name"));
        Assert.Contains("otelsvc_k8s_ip_lookup_miss 1", harness.Telemetry.RenderPrometheus(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Labels_and_annotations_rules_extract_by_key_and_anchored_key_regex()
    {
        var settings = """
            extract:
              metadata: [k8s.pod.name]
              labels: [{key: app}, {tag_name: owner.$1, key_regex: "team\\.example\\.com/(.*)"}]
              annotations: [{tag_name: build.id, key: build}, {key_regex: "uild"}]
            """;
        var (harness, processor) = await StartAsync(settings, Rbac + "\n---\n" + App);
        await using var _ = processor;
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(processor.CachedPods >= 2), Wait, TestContext.Current.CancellationToken));
        var pod = harness.PodOf("shop", "app=payments");

        var attrs = await SendFromAsync(harness, processor, pod.Status.PodIP);

        Assert.Equal("payments", attrs["k8s.pod.labels.app"].Str);
        Assert.Equal("billing", attrs["owner.owner"].Str);
        Assert.Equal("1234", attrs["build.id"].Str);
        Assert.False(attrs.ContainsKey("k8s.pod.annotations.build")); // "uild" is anchored: ^(?:uild)$
        Assert.False(attrs.ContainsKey("k8s.deployment.name")); // metadata list replaced the defaults
    }

    [Theory]
    [InlineData("extract: {metadata: [k8s.pod.nonsense]}", "\"k8s.pod.nonsense\" is not a supported metadata field")]
    [InlineData("pod_association: [{sources: [{from: label}]}]", "label is not allowed, use only resource_attribute or connection")]
    public async Task Invalid_settings_fail_the_start_with_upstreams_wording(string settings, string expected)
    {
        var harness = await ComponentHarness.StartAsync();

        var error = Assert.Throws<CollectorStartException>(() => new K8sAttributesFactory().Create(harness.Context("k8sattributes", ComponentKind.Processor, settings)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("collector.yaml:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_for_metadata_without_rbac_fails_the_start()
    {
        var time = new ManualTimeProvider();
        var harness = await ComponentHarness.StartAsync(time: time);
        await using var processor = (K8sAttributesProcessor)new K8sAttributesFactory().Create(harness.Context("k8sattributes", ComponentKind.Processor, "wait_for_metadata: true\nwait_for_metadata_timeout: 5s"));

        var start = processor.StartAsync(TestContext.Current.CancellationToken);
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(harness.Container.Log.Lines().Count > 0), Wait, TestContext.Current.CancellationToken));
        time.Advance(TimeSpan.FromSeconds(6));

        var error = await Assert.ThrowsAsync<CollectorStartException>(() => start);
        Assert.Equal("failed to wait for caches to sync", error.Message);
    }
}
