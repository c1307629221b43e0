using k8s.Models;
using OtelLab.Model.Crds;

namespace OtelLab.Sim.Cluster;

/// <summary>
/// A kind the simulated API server serves: its group/version, the resource name RBAC and error messages use, scope,
/// and the model type objects of this kind are held as (KubernetesClient models for core kinds, Lab.Model records for CRs).
/// </summary>
public sealed record ResourceKind(string Kind, string Group, string Version, string Resource, bool Namespaced, Type Model)
{
    private static readonly ResourceKind[] Known =
    [
        new("Namespace", "", "v1", "namespaces", false, typeof(V1Namespace)),
        new("Node", "", "v1", "nodes", false, typeof(V1Node)),
        new("Pod", "", "v1", "pods", true, typeof(V1Pod)),
        new("Service", "", "v1", "services", true, typeof(V1Service)),
        new("Endpoints", "", "v1", "endpoints", true, typeof(V1Endpoints)),
        new("ServiceAccount", "", "v1", "serviceaccounts", true, typeof(V1ServiceAccount)),
        new("ConfigMap", "", "v1", "configmaps", true, typeof(V1ConfigMap)),
        new("Secret", "", "v1", "secrets", true, typeof(V1Secret)),
        new("Event", "", "v1", "events", true, typeof(Corev1Event)),
        new("EndpointSlice", "discovery.k8s.io", "v1", "endpointslices", true, typeof(V1EndpointSlice)),
        new("Deployment", "apps", "v1", "deployments", true, typeof(V1Deployment)),
        new("ReplicaSet", "apps", "v1", "replicasets", true, typeof(V1ReplicaSet)),
        new("StatefulSet", "apps", "v1", "statefulsets", true, typeof(V1StatefulSet)),
        new("DaemonSet", "apps", "v1", "daemonsets", true, typeof(V1DaemonSet)),
        new("ClusterRole", "rbac.authorization.k8s.io", "v1", "clusterroles", false, typeof(V1ClusterRole)),
        new("ClusterRoleBinding", "rbac.authorization.k8s.io", "v1", "clusterrolebindings", false, typeof(V1ClusterRoleBinding)),
        new("Role", "rbac.authorization.k8s.io", "v1", "roles", true, typeof(V1Role)),
        new("RoleBinding", "rbac.authorization.k8s.io", "v1", "rolebindings", true, typeof(V1RoleBinding)),
        new("CustomResourceDefinition", "apiextensions.k8s.io", "v1", "customresourcedefinitions", false, typeof(V1CustomResourceDefinition)),
        new("OpenTelemetryCollector", "opentelemetry.io", "v1beta1", "opentelemetrycollectors", true, typeof(OpenTelemetryCollector)),
        new("TargetAllocator", "opentelemetry.io", "v1alpha1", "targetallocators", true, typeof(TargetAllocatorSpec)),
        new("Instrumentation", "opentelemetry.io", "v1alpha1", "instrumentations", true, typeof(Instrumentation)),
        new("ServiceMonitor", "monitoring.coreos.com", "v1", "servicemonitors", true, typeof(PrometheusMonitor)),
        new("PodMonitor", "monitoring.coreos.com", "v1", "podmonitors", true, typeof(PrometheusMonitor)),
        new("Application", "argoproj.io", "v1alpha1", "applications", true, typeof(ArgoApplication)),
    ];

    private static readonly Dictionary<string, ResourceKind> ByKind = Known.ToDictionary(k => k.Kind, StringComparer.Ordinal);

    private static readonly Dictionary<Type, ResourceKind> ByModel = Known
        .Where(k => k.Model != typeof(PrometheusMonitor))
        .ToDictionary(k => k.Model);

    public static IReadOnlyList<ResourceKind> All => Known;

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary><c>pods</c>, <c>deployments.apps</c>: how the API server names the resource in messages.</summary>
    public string QualifiedResource => Group.Length == 0 ? Resource : $"{Resource}.{Group}";

    /// <summary>A custom resource (served only because its CRD is installed).</summary>
    public bool IsCustom => Model.Namespace != typeof(V1Pod).Namespace;

    public static ResourceKind? Find(string kind) => ByKind.GetValueOrDefault(kind);

    public static ResourceKind Of(string kind) =>
        Find(kind) ?? throw new ArgumentException($"the simulated cluster does not serve kind {kind}", nameof(kind));

    /// <summary>The kind of a model type (<c>V1Pod</c> → Pod); PrometheusMonitor is ambiguous and needs the kind by name.</summary>
    public static ResourceKind Of(Type model) =>
        ByModel.GetValueOrDefault(model) ?? throw new ArgumentException($"no single kind is held as {model.Name}; pass the kind by name", nameof(model));
}
