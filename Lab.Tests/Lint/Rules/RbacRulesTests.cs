using OtelLab.Lint.Rules;
using static OtelLab.Tests.Lint.LintFixture;

namespace OtelLab.Tests.Lint.Rules;

[Trait("Category", "Unit")]
public sealed class RbacRulesTests
{
    private const string K8sAttributesConfig = """
        receivers: {otlp: {}}
        processors:
          k8sattributes:
            extract: {metadata: [k8s.namespace.name, k8s.deployment.name, k8s.pod.name, k8s.node.name]}
        exporters: {debug: {}}
        service: {pipelines: {traces: {receivers: [otlp], processors: [k8sattributes], exporters: [debug]}}}
        """;

    private static string Agent(string config = K8sAttributesConfig) =>
        Collector(name: "agent", mode: "daemonset", serviceAccount: "agent-sa", config: config);

    [Fact]
    public void K8sattributes_without_any_binding_fails_open_and_says_so()
    {
        var f = Assert.Single(Run(new K8sAttributesRbacRule(), Agent(), ServiceAccount("agent-sa")));

        Assert.Contains("pods, namespaces, replicasets.apps", f.Message, StringComparison.Ordinal);
        Assert.Contains(f.Evidence, e => e.Contains("pods is forbidden: User \"system:serviceaccount:observability:agent-sa\" cannot list resource \"pods\"", StringComparison.Ordinal));
    }

    [Fact]
    public void K8sattributes_missing_only_replicasets_names_replicasets()
    {
        var f = Assert.Single(Run(new K8sAttributesRbacRule(), Agent(), ServiceAccount("agent-sa"),
            ClusterRole("r", ("", "pods, namespaces")), ClusterRoleBinding("b", "r", "agent-sa")));

        Assert.Contains("replicasets.apps", f.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pods,", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void K8sattributes_with_a_namespaced_role_only_still_fails_cluster_wide()
    {
        var role = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: r, namespace: observability}
            rules: [{apiGroups: ["", apps], resources: [pods, namespaces, replicasets], verbs: [get, list, watch]}]
            """;
        var binding = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: b, namespace: observability}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
            subjects: [{kind: ServiceAccount, name: agent-sa}]
            """;

        Assert.Single(Run(new K8sAttributesRbacRule(), Agent(), ServiceAccount("agent-sa"), role, binding));
    }

    [Fact]
    public void K8sattributes_with_the_guides_cluster_role_passes()
    {
        Assert.Empty(Run(new K8sAttributesRbacRule(), Agent(), ServiceAccount("agent-sa"),
            ClusterRole("r", ("", "pods, namespaces, nodes"), ("apps", "replicasets")), ClusterRoleBinding("b", "r", "agent-sa")));
    }

    [Fact]
    public void K8sattributes_extracting_node_uid_also_needs_nodes()
    {
        var config = K8sAttributesConfig.Replace("k8s.node.name]", "k8s.node.uid]", StringComparison.Ordinal);
        var f = Assert.Single(Run(new K8sAttributesRbacRule(), Agent(config), ServiceAccount("agent-sa"),
            ClusterRole("r", ("", "pods, namespaces"), ("apps", "replicasets")), ClusterRoleBinding("b", "r", "agent-sa")));

        Assert.Contains("nodes", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void K8sattributes_in_passthrough_needs_no_rbac()
    {
        var config = K8sAttributesConfig.Replace("k8sattributes:", "k8sattributes:\n    passthrough: true", StringComparison.Ordinal);
        Assert.Empty(Run(new K8sAttributesRbacRule(), Agent(config), ServiceAccount("agent-sa")));
    }

    private static string Sharded() =>
        Collector(name: "prom", mode: "statefulset", replicas: 3,
            extraSpec: "targetAllocator: {enabled: true, serviceAccount: ta, prometheusCR: {enabled: true}}",
            config: """
                receivers: {prometheus: {config: {scrape_configs: []}}}
                exporters: {debug: {}}
                service: {pipelines: {metrics: {receivers: [prometheus], exporters: [debug]}}}
                """);

    [Fact]
    public void Target_allocator_bound_to_a_role_nobody_defines_is_an_error_pointing_at_the_binding()
    {
        var f = Assert.Single(Run(new TargetAllocatorRbacRule(), Sharded(), ServiceAccount("ta"),
            ClusterRoleBinding("otel-ta-discovery", "opentelemetry-operator-targetallocator", "ta")));

        Assert.Equal(18, f.Location.Line);
        Assert.Contains(f.Evidence, e => e.Contains("the operator Helm chart does not create it", StringComparison.Ordinal));
        Assert.Contains("servicemonitors.monitoring.coreos.com", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Target_allocator_with_discovery_read_passes()
    {
        Assert.Empty(Run(new TargetAllocatorRbacRule(), Sharded(), ServiceAccount("ta"),
            ClusterRole("disc", ("", "pods, services, endpoints, nodes"), ("monitoring.coreos.com", "servicemonitors, podmonitors")),
            ClusterRoleBinding("b", "disc", "ta")));
    }

    [Fact]
    public void Target_allocator_without_prometheus_cr_does_not_need_monitor_read()
    {
        var prom = Sharded().Replace("prometheusCR: {enabled: true}", "prometheusCR: {enabled: false}", StringComparison.Ordinal);
        Assert.Empty(Run(new TargetAllocatorRbacRule(), prom, ServiceAccount("ta"),
            ClusterRole("disc", ("", "pods, services, nodes"), ("discovery.k8s.io", "endpointslices")), ClusterRoleBinding("b", "disc", "ta")));
    }
}
