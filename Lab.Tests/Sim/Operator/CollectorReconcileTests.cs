using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Operator;

namespace OtelLab.Tests.Sim.Operator;

[Trait("Category", "Unit")]
public sealed class CollectorReconcileTests
{
    private const string Namespace = "apiVersion: v1\nkind: Namespace\nmetadata: {name: obs}\n---\n";

    private static string Collector(string mode, string extra = "", string receivers = "otlp: {protocols: {grpc: {}}}", string pipeline = "traces: {receivers: [otlp], exporters: [debug]}") => $$$$"""
        apiVersion: opentelemetry.io/v1beta1
        kind: OpenTelemetryCollector
        metadata: {name: col, namespace: obs}
        spec:
          mode: {{{{mode}}}}
        {{{{extra}}}}
          config:
            receivers: { {{{{receivers}}}} }
            exporters: {debug: {}}
            service:
              pipelines: { {{{{pipeline}}}} }
        """;

    private static async Task<(SimulatedCluster, ApplyResult)> ApplyAsync(string yaml)
    {
        var cluster = SimFixtures.NewCluster();
        OpenTelemetryOperator.Install(cluster);
        var result = await SimFixtures.ApplyYamlAsync(cluster, Namespace + yaml);
        Assert.True(cluster.ControllerErrors.Count == 0, string.Join("\n", cluster.ControllerErrors));
        return (cluster, result);
    }

    [Fact]
    public async Task Deployment_mode_with_target_allocator_is_denied_by_the_webhook_and_nothing_is_created()
    {
        // Given a deployment-mode collector with the TA enabled
        var yaml = Collector("deployment", "  targetAllocator: {enabled: true, prometheusCR: {enabled: true}}",
            "prometheus: {config: {scrape_configs: []}}", "metrics: {receivers: [prometheus], exporters: [debug]}");

        // When it is applied
        var (cluster, result) = await ApplyAsync(yaml);

        // Then the webhook's message comes back and no CR, workload or ConfigMap exists
        var failure = Assert.Single(result.Failures);
        Assert.Equal(
            "admission webhook \"vopentelemetrycollectorcreateupdatebeta.kb.io\" denied the request: " +
            "the OpenTelemetry Collector mode is set to deployment, which does not support the target allocation deployment",
            failure.Message);
        Assert.Null(cluster.Get(ResourceKind.Of("OpenTelemetryCollector"), "obs", "col"));
        Assert.Empty(cluster.List<V1Deployment>("obs"));
        Assert.Empty(cluster.List<V1ConfigMap>("obs"));
    }

    [Fact]
    public async Task Target_allocator_without_scrape_configs_or_prometheus_cr_is_denied()
    {
        var yaml = Collector("statefulset", "  targetAllocator: {enabled: true}",
            "prometheus: {config: {scrape_configs: []}}", "metrics: {receivers: [prometheus], exporters: [debug]}");

        var (_, result) = await ApplyAsync(yaml);

        Assert.EndsWith(
            "denied the request: the OpenTelemetry Spec Prometheus configuration is incorrect, either at least one scrape config needs to be defined or PrometheusCR needs to be enabled",
            Assert.Single(result.Failures).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_the_mode_on_update_is_denied_and_the_stored_collector_is_kept()
    {
        var (cluster, _) = await ApplyAsync(Collector("deployment"));

        var result = await SimFixtures.ApplyYamlAsync(cluster, Collector("daemonset"));

        Assert.EndsWith("denied the request: the OpenTelemetry Collector mode is set to deployment, which does not support modification",
            Assert.Single(result.Failures).Message, StringComparison.Ordinal);
        Assert.NotNull(cluster.Get<V1Deployment>("obs", "col-collector"));
        Assert.Null(cluster.Get<V1DaemonSet>("obs", "col-collector"));
    }

    [Fact]
    public async Task Deployment_mode_creates_serviceaccount_services_and_a_deployment_with_cluster_traffic_policy()
    {
        var (cluster, _) = await ApplyAsync(Collector("deployment"));

        var sa = cluster.Get<V1ServiceAccount>("obs", "col-collector");
        Assert.NotNull(sa);
        Assert.Equal("OpenTelemetryCollector", sa.Metadata.OwnerReferences.Single().Kind);
        var d = cluster.Get<V1Deployment>("obs", "col-collector")!;
        Assert.Equal(1, d.Spec.Replicas);
        Assert.Equal("col-collector", d.Spec.Template.Spec.ServiceAccountName);
        Assert.Equal("latest", d.Metadata.Labels["app.kubernetes.io/version"]);
        Assert.Equal("Cluster", cluster.Get<V1Service>("obs", "col-collector")!.Spec.InternalTrafficPolicy);
        // grpc configured without an endpoint: the webhook defaults it to 0.0.0.0:4317
        Assert.Equal([("otlp-grpc", 4317)], cluster.Get<V1Service>("obs", "col-collector")!.Spec.Ports.Select(p => (p.Name, p.Port)));
        var yaml = cluster.List<V1ConfigMap>("obs").Single().Data["collector.yaml"];
        Assert.Contains("endpoint: 0.0.0.0:4317", yaml, StringComparison.Ordinal);
        Assert.Contains("""
              telemetry:
                metrics:
                  readers:
                  - pull:
                      exporter:
                        prometheus:
                          host: 0.0.0.0
                          port: 8888
            """.ReplaceLineEndings("\n"), yaml, StringComparison.Ordinal);
        Assert.Single(cluster.List<V1Pod>("obs"));
    }

    [Fact]
    public async Task Spec_ports_are_the_only_source_of_host_ports_and_win_over_inferred_ports()
    {
        var (cluster, _) = await ApplyAsync(Collector("daemonset", "  ports: [{name: otlp-grpc-host, port: 4317, hostPort: 4317}]",
            "otlp: {protocols: {grpc: {}, http: {}}}"));

        var container = cluster.Get<V1DaemonSet>("obs", "col-collector")!.Spec.Template.Spec.Containers.Single();
        Assert.Equal(4317, container.Ports.Single(p => p.Name == "otlp-grpc-host").HostPort);
        Assert.Single(container.Ports, p => p.HostPort is not null);
        // The Service keeps spec.ports first and drops the inferred port with the same number
        var svc = cluster.Get<V1Service>("obs", "col-collector")!;
        Assert.Equal([("otlp-grpc-host", 4317), ("otlp-http", 4318)], svc.Spec.Ports.Select(p => (p.Name, p.Port)));
    }

    [Fact]
    public async Task A_config_change_rolls_a_new_configmap_and_keeps_the_previous_ones()
    {
        // Given a collector and its first ConfigMap
        var (cluster, _) = await ApplyAsync(Collector("deployment"));
        var first = cluster.List<V1ConfigMap>("obs").Single().Metadata.Name;

        // When the config changes
        await SimFixtures.ApplyYamlAsync(cluster, Collector("deployment", receivers: "otlp: {protocols: {http: {}}}"));

        // Then a second hashed ConfigMap exists, the pod template points at it, and the old one is kept (configVersions 3)
        var names = cluster.List<V1ConfigMap>("obs").Select(c => c.Metadata.Name).ToList();
        Assert.Equal(2, names.Count);
        Assert.Contains(first, names);
        var current = cluster.Get<V1Deployment>("obs", "col-collector")!.Spec.Template.Spec.Volumes.Single().ConfigMap.Name;
        Assert.NotEqual(first, current);
        Assert.Equal(2, cluster.List<V1ReplicaSet>("obs").Count);
    }

    [Fact]
    public async Task Deleted_operator_objects_come_back_and_deleting_the_collector_removes_everything()
    {
        var (cluster, _) = await ApplyAsync(Collector("statefulset"));

        cluster.Delete("Service", "obs", "col-collector");
        Assert.NotNull(cluster.Get<V1Service>("obs", "col-collector"));

        cluster.Delete("OpenTelemetryCollector", "obs", "col");
        Assert.Empty(cluster.List<V1Service>("obs"));
        Assert.Empty(cluster.List<V1StatefulSet>("obs"));
        Assert.Empty(cluster.List<V1ConfigMap>("obs"));
        Assert.Empty(cluster.List<V1Pod>("obs"));
    }

    [Fact]
    public void Config_hash_is_sha256_of_the_crd_struct_as_go_json_marshals_it()
    {
        // Given a small config tree (with the webhook's telemetry default)
        var tree = (Dictionary<string, object?>)OtelLab.Sim.Operator.Internal.ConfigTree.From(
            new YamlDotNet.RepresentationModel.YamlStream().Let(s => s.Load(new StringReader("""
                receivers: {otlp: {protocols: {grpc: {endpoint: "0.0.0.0:4317"}}}}
                processors: {batch: {send_batch_size: 8192, timeout: 5s}}
                exporters: {"otlp/gw": {endpoint: "a<b&c>:4317"}}
                service: {pipelines: {traces: {receivers: [otlp], processors: [batch], exporters: [otlp/gw]}}}
                """))).Documents[0].RootNode)!;
        OtelLab.Sim.Operator.Internal.ConfigDefaults.Apply(tree);

        // When the struct JSON is produced
        var json = OtelLab.Sim.Operator.Internal.ConfigHash.StructJson(tree);

        // Then it has Go's field order, sorted map keys, HTML escaping and integral numbers
        const string expected =
            "{\"receivers\":{\"otlp\":{\"protocols\":{\"grpc\":{\"endpoint\":\"0.0.0.0:4317\"}}}}," +
            "\"exporters\":{\"otlp/gw\":{\"endpoint\":\"a\\u003cb\\u0026c\\u003e:4317\"}}," +
            "\"processors\":{\"batch\":{\"send_batch_size\":8192,\"timeout\":\"5s\"}}," +
            "\"service\":{\"telemetry\":{\"metrics\":{\"readers\":[{\"pull\":{\"exporter\":{\"prometheus\":{\"host\":\"0.0.0.0\",\"port\":8888}}}}]}}," +
            "\"pipelines\":{\"traces\":{\"exporters\":[\"otlp/gw\"],\"processors\":[\"batch\"],\"receivers\":[\"otlp\"]}}}}";
        Assert.Equal(expected, json);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(expected))), OtelLab.Sim.Operator.Internal.ConfigHash.Compute(tree));
    }
}

internal static class LetExtensions
{
    public static T Let<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
