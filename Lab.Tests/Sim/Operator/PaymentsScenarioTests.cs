using k8s.Models;
using OtelLab.Model.Manifests;
using OtelLab.Model.Rbac;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Operator;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Operator;

/// <summary>
/// The guide's payments pipeline applied to a 3-node cluster with the operator installed; assertions are partial
/// objects, like upstream's chainsaw e2e asserts.
/// </summary>
[Trait("Category", "Component")]
public sealed class PaymentsScenarioTests
{
    private const string Obs = "observability";

    private static readonly Dictionary<string, string> PrometheusSelector = new()
    {
        ["app.kubernetes.io/component"] = "opentelemetry-collector",
        ["app.kubernetes.io/instance"] = "observability.otel-prometheus",
        ["app.kubernetes.io/managed-by"] = "opentelemetry-operator",
        ["app.kubernetes.io/part-of"] = "opentelemetry",
    };

    private static async Task<(SimulatedCluster Cluster, ApplyResult Result)> ApplyPaymentsAsync()
    {
        var cluster = SimFixtures.NewCluster(nodes: 3);
        OpenTelemetryOperator.Install(cluster);
        var manifests = ManifestLoader.Load([Path.Combine(RepoPaths.Scenario("payments"), "manifests")]);
        Assert.Empty(manifests.Errors);
        var result = await cluster.ApplyAsync(manifests, TestContext.Current.CancellationToken);
        Assert.True(cluster.ControllerErrors.Count == 0, string.Join("\n", cluster.ControllerErrors));
        return (cluster, result);
    }

    [Fact]
    public async Task Kubectl_apply_reports_every_object_and_refuses_the_argo_application_without_its_crd()
    {
        var (_, result) = await ApplyPaymentsAsync();

        var argo = Assert.Single(result.Failures);
        Assert.Equal("Application", argo.Kind);
        Assert.StartsWith("resource mapping not found for name: \"otel-pipeline\" namespace: \"argocd\"", argo.Message, StringComparison.Ordinal);
        Assert.EndsWith("no matches for kind \"Application\" in version \"argoproj.io/v1alpha1\"\nensure CRDs are installed first", argo.Message, StringComparison.Ordinal);
        Assert.Equal("opentelemetrycollector.opentelemetry.io/otel-agent created", result.For("OpenTelemetryCollector", "otel-agent")!.ToString());
    }

    [Fact]
    public async Task Daemonset_agent_gets_one_pod_per_node_a_local_traffic_service_and_no_host_port()
    {
        var (cluster, _) = await ApplyPaymentsAsync();

        // DaemonSet <n>-collector with the operator's labels and selector
        var ds = cluster.Get<V1DaemonSet>(Obs, "otel-agent-collector");
        Assert.NotNull(ds);
        Assert.Equal("otel-agent-collector", ds.Metadata.Labels["app.kubernetes.io/name"]);
        Assert.Equal("0.105.0", ds.Metadata.Labels["app.kubernetes.io/version"]);
        Assert.Equal(4, ds.Spec.Selector.MatchLabels.Count);
        Assert.Equal("observability.otel-agent", ds.Spec.Selector.MatchLabels["app.kubernetes.io/instance"]);
        Assert.Equal("otel-agent-collector", ds.Spec.Template.Spec.ServiceAccountName);

        // One pod per node
        var pods = SimFixtures.PodsOf(cluster, Obs, "app.kubernetes.io/instance=observability.otel-agent");
        Assert.Equal(["lab-node-1", "lab-node-2", "lab-node-3"], pods.Select(p => p.Spec.NodeName).Order(StringComparer.Ordinal));

        // otc-container: spec.env then POD_NAME; ports from the otlp receiver plus metrics; no hostPort anywhere
        var container = Assert.Single(ds.Spec.Template.Spec.Containers);
        Assert.Equal("otc-container", container.Name);
        Assert.Equal("otel/opentelemetry-collector-contrib:0.105.0", container.Image);
        Assert.Equal(["--config=/conf/collector.yaml"], container.Args);
        Assert.Equal(["K8S_NODE_NAME", "POD_NAME"], container.Env.Select(e => e.Name));
        Assert.Equal("spec.nodeName", container.Env[0].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.name", container.Env[1].ValueFrom.FieldRef.FieldPath);
        Assert.Equal([("metrics", 8888), ("otlp-grpc", 4317), ("otlp-http", 4318)], container.Ports.Select(p => (p.Name, p.ContainerPort)));
        Assert.All(container.Ports, p => Assert.Null(p.HostPort));

        // Service <n>-collector: inferred ports, internalTrafficPolicy Local (daemonset)
        var svc = cluster.Get<V1Service>(Obs, "otel-agent-collector")!;
        Assert.Equal("Local", svc.Spec.InternalTrafficPolicy);
        Assert.Equal([("otlp-grpc", 4317, "grpc"), ("otlp-http", 4318, "http")], svc.Spec.Ports.Select(p => (p.Name, p.Port, p.AppProtocol)));
        Assert.Equal("base", svc.Metadata.Labels["operator.opentelemetry.io/collector-service-type"]);
        Assert.Equal("None", cluster.Get<V1Service>(Obs, "otel-agent-collector-headless")!.Spec.ClusterIP);
        var monitoring = cluster.Get<V1Service>(Obs, "otel-agent-collector-monitoring")!;
        Assert.Equal([("monitoring", 8888)], monitoring.Spec.Ports.Select(p => (p.Name, p.Port)));

        // spec.serviceAccount set → the operator creates no ServiceAccount of its own
        Assert.Null(cluster.MetadataOf("ServiceAccount", Obs, "otel-agent-collector")?.OwnerReferences);
    }

    [Fact]
    public async Task Statefulset_with_target_allocator_gets_ordinal_pods_the_ta_objects_and_the_rewritten_config()
    {
        var (cluster, _) = await ApplyPaymentsAsync();

        // StatefulSet <n>-collector, headless serviceName, Parallel, pods -0..-2
        var sts = cluster.Get<V1StatefulSet>(Obs, "otel-prometheus-collector")!;
        Assert.Equal("otel-prometheus-collector-headless", sts.Spec.ServiceName);
        Assert.Equal("Parallel", sts.Spec.PodManagementPolicy);
        Assert.Equal(PrometheusSelector, sts.Spec.Selector.MatchLabels);
        Assert.Equal(["otel-prometheus-collector-0", "otel-prometheus-collector-1", "otel-prometheus-collector-2"],
            SimFixtures.PodsOf(cluster, Obs, "app.kubernetes.io/instance=observability.otel-prometheus,app.kubernetes.io/component=opentelemetry-collector").Select(p => p.Metadata.Name));
        var container = sts.Spec.Template.Spec.Containers.Single();
        Assert.Equal(["POD_NAME", "SHARD"], container.Env.Select(e => e.Name));
        Assert.Equal("0", container.Env[1].Value);

        // Only a prometheus receiver: no ports, so upstream creates neither <n>-collector nor the headless Service
        Assert.Null(cluster.Get<V1Service>(Obs, "otel-prometheus-collector"));
        Assert.Null(cluster.Get<V1Service>(Obs, "otel-prometheus-collector-headless"));
        Assert.NotNull(cluster.Get<V1Service>(Obs, "otel-prometheus-collector-monitoring"));

        // TA: Deployment / Service / ConfigMap <n>-targetallocator, container ta-container on 8080 "http", Service 80
        var ta = cluster.Get<V1Deployment>(Obs, "otel-prometheus-targetallocator")!;
        Assert.Equal("otel-targetallocator", ta.Spec.Template.Spec.ServiceAccountName);
        Assert.Equal("opentelemetry-targetallocator", ta.Spec.Selector.MatchLabels["app.kubernetes.io/component"]);
        Assert.Equal("otel-prometheus-targetallocator", ta.Spec.Selector.MatchLabels["app.kubernetes.io/name"]);
        var taContainer = ta.Spec.Template.Spec.Containers.Single();
        Assert.Equal("ta-container", taContainer.Name);
        Assert.Equal([("http", 8080)], taContainer.Ports.Select(p => (p.Name, p.ContainerPort)));
        var taSvc = cluster.Get<V1Service>(Obs, "otel-prometheus-targetallocator")!;
        var taPort = Assert.Single(taSvc.Spec.Ports);
        Assert.Equal(("targetallocation", 80, "http"), (taPort.Name, taPort.Port, taPort.TargetPort.Value));
        Assert.Single(SimFixtures.PodsOf(cluster, Obs, "app.kubernetes.io/name=otel-prometheus-targetallocator"));
        Assert.Null(cluster.Get<V1ServiceAccount>(Obs, "otel-prometheus-targetallocator"));
        Assert.NotNull(cluster.Get(ResourceKind.Of("TargetAllocator"), Obs, "otel-prometheus"));

        // targetallocator.yaml as upstream's yaml.v2 marshal writes it
        var taConfig = cluster.Get<V1ConfigMap>(Obs, "otel-prometheus-targetallocator")!.Data["targetallocator.yaml"];
        Assert.Equal("""
            allocation_strategy: consistent-hashing
            collector_selector:
              matchlabels:
                app.kubernetes.io/component: opentelemetry-collector
                app.kubernetes.io/instance: observability.otel-prometheus
                app.kubernetes.io/managed-by: opentelemetry-operator
                app.kubernetes.io/part-of: opentelemetry
              matchexpressions: []
            config:
              scrape_configs:
              - job_name: otel-collector-self
                scrape_interval: 30s
                static_configs:
                - targets:
                  - 0.0.0.0:8888
            filter_strategy: relabel-config
            prometheus_cr:
              enabled: true
              pod_monitor_selector: null
              probe_selector: null
              scrape_config_selector: null
              scrape_interval: 30s
              service_monitor_selector: null

            """.ReplaceLineEndings("\n"), taConfig);
    }

    [Fact]
    public async Task Rendered_collector_yaml_moves_scrape_configs_to_the_ta_and_points_the_receiver_at_it()
    {
        var (cluster, _) = await ApplyPaymentsAsync();

        var cm = Assert.Single(cluster.List<V1ConfigMap>(Obs), c => c.Metadata.Name.StartsWith("otel-prometheus-collector-", StringComparison.Ordinal));
        var yaml = cm.Data["collector.yaml"];

        Assert.Contains("""
              prometheus:
                config: {}
                target_allocator:
                  collector_id: ${POD_NAME}
                  endpoint: http://otel-prometheus-targetallocator:80
                  interval: 30s
            """.ReplaceLineEndings("\n"), yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("scrape_configs", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("0.0.0.0:8888", yaml, StringComparison.Ordinal);

        // The ConfigMap is <n>-collector-<first 8 of the config hash>, and the pod template carries the full hash
        var sts = cluster.Get<V1StatefulSet>(Obs, "otel-prometheus-collector")!;
        var hash = sts.Spec.Template.Metadata.Annotations["opentelemetry-operator-config/sha256"];
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal($"otel-prometheus-collector-{hash[..8]}", cm.Metadata.Name);
        Assert.Equal(cm.Metadata.Name, sts.Spec.Template.Spec.Volumes.Single(v => v.Name == "otc-internal").ConfigMap.Name);
        Assert.Equal("true", sts.Spec.Template.Metadata.Annotations["prometheus.io/scrape"]);
    }

    [Fact]
    public async Task Gateway_naming_a_serviceaccount_the_guide_never_creates_runs_zero_pods_with_a_failedcreate_event()
    {
        // Given the guide's gateway: serviceAccount otel-gateway-collector, which no manifest creates
        var (cluster, _) = await ApplyPaymentsAsync();

        // Then the Deployment and its ReplicaSet exist but not one pod does
        var deployment = cluster.Get<V1Deployment>(Obs, "otel-gateway-collector");
        Assert.NotNull(deployment);
        Assert.Empty(SimFixtures.PodsOf(cluster, Obs, "app.kubernetes.io/instance=observability.otel-gateway"));
        var rs = Assert.Single(cluster.List<V1ReplicaSet>(Obs), r => r.Metadata.Name.StartsWith("otel-gateway-collector-", StringComparison.Ordinal));

        // And the ReplicaSet's FailedCreate event carries the API server's admission message
        var failed = Assert.Single(cluster.EventsFor("ReplicaSet", Obs, rs.Metadata.Name), e => e.Reason == "FailedCreate");
        Assert.Equal(
            $"Error creating: pods \"{rs.Metadata.Name}-\" is forbidden: error looking up service account observability/otel-gateway-collector: serviceaccount \"otel-gateway-collector\" not found",
            failed.Message);
    }

    [Fact]
    public async Task Target_allocator_serviceaccount_bound_to_a_missing_clusterrole_is_forbidden_to_list_pods()
    {
        // Given the guide's TA binding to ClusterRole opentelemetry-operator-targetallocator, which no manifest defines
        var (cluster, _) = await ApplyPaymentsAsync();
        var api = new ApiAccess(cluster, new RbacSubject(Obs, "otel-targetallocator"));

        // When the TA lists pods cluster-wide and ServiceMonitors in its namespace
        var pods = await Assert.ThrowsAsync<ClusterApiException>(() => api.ListAsync("Pod", cancellationToken: TestContext.Current.CancellationToken));
        var monitors = await Assert.ThrowsAsync<ClusterApiException>(() => api.ListAsync("ServiceMonitor", Obs, cancellationToken: TestContext.Current.CancellationToken));

        // Then the API server's exact forbidden messages come back
        Assert.Equal(403, pods.StatusCode);
        Assert.Equal("pods is forbidden: User \"system:serviceaccount:observability:otel-targetallocator\" cannot list resource \"pods\" in API group \"\" at the cluster scope", pods.Message);
        Assert.Equal("servicemonitors.monitoring.coreos.com is forbidden: User \"system:serviceaccount:observability:otel-targetallocator\" cannot list resource \"servicemonitors\" in API group \"monitoring.coreos.com\" in the namespace \"observability\"", monitors.Message);

        // While the agent's ServiceAccount may list pods (its ClusterRole exists)
        var agent = new ApiAccess(cluster, new RbacSubject(Obs, "otel-agent-collector"));
        Assert.NotEmpty(await agent.ListAsync<V1Pod>(cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Checkout_deployment_runs_in_payments()
    {
        var (cluster, _) = await ApplyPaymentsAsync();

        var pod = Assert.Single(cluster.List<V1Pod>("payments"));
        Assert.StartsWith("checkout-", pod.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal("payments/kloudvin-instrumentation", pod.Metadata.Annotations["instrumentation.opentelemetry.io/inject-java"]);
    }
}
