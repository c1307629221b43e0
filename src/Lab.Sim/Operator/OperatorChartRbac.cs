using k8s.Models;
using OtelLab.Model.Install;
using OtelLab.Model.Rbac;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.Operator;

/// <summary>
/// What the operator chart installs for the manager to run as an API client: its namespace, its ServiceAccount
/// (named like the chart's fullname) and the <c>&lt;fullname&gt;-manager</c> ClusterRole bound to it, with the
/// chart's rules for the kinds the lab serves.
/// upstream: opentelemetry-helm-charts charts/opentelemetry-operator/templates/clusterrole.yaml and
/// clusterrolebinding.yaml (read at 0c0bf1f8; the 0.74.2 rules for these kinds are assumed the same, UNCONFIRMED).
/// </summary>
public static class OperatorChartRbac
{
    public const string Release = "opentelemetry-operator";
    public const string Namespace = "opentelemetry-operator-system";

    private static readonly string[] ReadWrite = ["create", "delete", "get", "list", "patch", "update", "watch"];

    /// <summary>The manager ClusterRole's name for the default release.</summary>
    public static string ManagerRole => ChartCatalog.OpenTelemetryOperator.Fullname(Release) + "-manager";

    /// <summary>The ServiceAccount the manager runs as.</summary>
    public static RbacSubject Subject => new(Namespace, ChartCatalog.OpenTelemetryOperator.Fullname(Release));

    /// <summary>The manager ClusterRole's rules (clusterrole.yaml), the OpenShift-only groups left out.</summary>
    public static IReadOnlyList<V1PolicyRule> ManagerRules { get; } =
    [
        new() { ApiGroups = [""], Resources = ["configmaps", "persistentvolumeclaims", "persistentvolumes", "pods", "serviceaccounts", "services"], Verbs = ReadWrite },
        new() { ApiGroups = [""], Resources = ["events"], Verbs = ["create", "patch"] },
        new() { ApiGroups = [""], Resources = ["namespaces"], Verbs = ["list", "watch"] },
        new() { ApiGroups = ["apps"], Resources = ["daemonsets", "deployments", "statefulsets"], Verbs = ReadWrite },
        new() { ApiGroups = ["apps"], Resources = ["replicasets"], Verbs = ["get", "list", "watch"] },
        new() { ApiGroups = ["autoscaling"], Resources = ["horizontalpodautoscalers"], Verbs = ReadWrite },
        new() { ApiGroups = ["batch"], Resources = ["jobs"], Verbs = ["get", "list", "watch"] },
        new() { ApiGroups = ["coordination.k8s.io"], Resources = ["leases"], Verbs = ["create", "get", "list", "update"] },
        new() { ApiGroups = ["monitoring.coreos.com"], Resources = ["podmonitors", "servicemonitors"], Verbs = ReadWrite },
        new() { ApiGroups = ["networking.k8s.io"], Resources = ["ingresses"], Verbs = ReadWrite },
        new() { ApiGroups = ["opentelemetry.io"], Resources = ["instrumentations"], Verbs = ["get", "list", "patch", "update", "watch"] },
        new() { ApiGroups = ["opentelemetry.io"], Resources = ["opampbridges"], Verbs = ReadWrite },
        new() { ApiGroups = ["opentelemetry.io"], Resources = ["opampbridges/finalizers"], Verbs = ["update"] },
        new() { ApiGroups = ["opentelemetry.io"], Resources = ["opampbridges/status"], Verbs = ["get", "patch", "update"] },
        new() { ApiGroups = ["opentelemetry.io"], Resources = ["opentelemetrycollectors"], Verbs = ["get", "list", "patch", "update", "watch"] },
        new() { ApiGroups = ["opentelemetry.io"], Resources = ["opentelemetrycollectors/finalizers"], Verbs = ["get", "patch", "update"] },
        new() { ApiGroups = ["opentelemetry.io"], Resources = ["opentelemetrycollectors/status"], Verbs = ["get", "patch", "update"] },
        new() { ApiGroups = ["policy"], Resources = ["poddisruptionbudgets"], Verbs = ReadWrite },
    ];

    /// <summary>Creates (as <c>helm install</c> would) what is missing of the namespace, ServiceAccount, ClusterRole and binding; returns the subject.</summary>
    public static RbacSubject Apply(SimulatedCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var subject = Subject;
        if (cluster.Get<V1Namespace>(null, Namespace) is null)
        {
            cluster.Create(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
        }

        if (cluster.Get<V1ServiceAccount>(Namespace, subject.Name) is null)
        {
            cluster.Create(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = subject.Name, NamespaceProperty = Namespace } });
        }

        if (cluster.Get<V1ClusterRole>(null, ManagerRole) is null)
        {
            List<V1PolicyRule> rules = [.. ManagerRules];
            if (cluster.Options.Installs(ResourceKind.Of("TargetAllocator")))
            {
                // Chart 0.74.2 installs no TargetAllocator CRD and no rule for it; where the lab serves the CRD (no
                // install declared), the operator's own RBAC markers for the kind apply (upstream v0.113
                // internal/controllers/*_controller.go +kubebuilder:rbac, the collector reconciler's create/delete UNCONFIRMED).
                rules.Add(new V1PolicyRule { ApiGroups = ["opentelemetry.io"], Resources = ["targetallocators"], Verbs = ReadWrite });
                rules.Add(new V1PolicyRule { ApiGroups = ["opentelemetry.io"], Resources = ["targetallocators/status"], Verbs = ["get", "patch", "update"] });
            }

            cluster.Create(new V1ClusterRole { Metadata = new V1ObjectMeta { Name = ManagerRole }, Rules = rules });
        }

        if (cluster.Get<V1ClusterRoleBinding>(null, ManagerRole) is null)
        {
            cluster.Create(new V1ClusterRoleBinding
            {
                Metadata = new V1ObjectMeta { Name = ManagerRole },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = ManagerRole },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = subject.Name, NamespaceProperty = Namespace }],
            });
        }

        return subject;
    }
}
