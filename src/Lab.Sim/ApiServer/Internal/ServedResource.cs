using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// A resource as discovery describes it: the store's <see cref="ResourceKind"/> plus the names kubectl resolves
/// (singular, short names, categories) and the subresources the API server serves for it.
/// </summary>
internal sealed record ServedResource(ResourceKind Kind, IReadOnlyList<string> ShortNames, IReadOnlyList<string> Categories, bool Scale)
{
    // upstream: the verbs a generic registry store serves (apiserver pkg/endpoints/installer.go), listed sorted as discovery does.
    public static readonly string[] Verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public string Singular => Kind.Kind.ToLowerInvariant();

    /// <summary>
    /// For a version served beside the storage version (OpenTelemetryCollector v1alpha1): the kind as stored, which
    /// requests to this version read and write through the conversion; null for a storage version.
    /// </summary>
    public ResourceKind? Storage { get; init; }

    /// <summary>The kinds the store holds, with kubectl's names for them; custom kinds only when their CRD group is installed.</summary>
    public static IReadOnlyList<ServedResource> For(SimulatedCluster cluster)
    {
        var served = ResourceKind.All.Where(cluster.Options.Installs).Select(Describe).ToList();

        // The collector CRD serves v1alpha1 beside its storage version v1beta1 (served: true, storage: false), converted
        // by the operator's webhook; listed after v1beta1, the preferred version.
        foreach (var kind in served.Select(r => r.Kind).Where(Conversion.CollectorV1Alpha1.Converts).ToList())
        {
            var crd = cluster.Options.CustomResourceDefinitions.FirstOrDefault(c => c.Spec.Group == kind.Group && c.Spec.Names.Plural == kind.Resource);
            if (crd?.Spec.Versions.Any(v => v.Name == Conversion.CollectorV1Alpha1.Version && v.Served) == true)
            {
                served.Add(Describe(kind) with { Kind = kind with { Version = Conversion.CollectorV1Alpha1.Version }, Storage = kind });
            }
        }

        return served;
    }

    // Short names and categories as upstream registers them: pkg/registry/*/storage (ShortNames/Categories methods)
    // for built-ins; the CRDs' spec.names for opentelemetry.io (reference/crds) and monitoring.coreos.com.
    private static ServedResource Describe(ResourceKind kind) => kind.Resource switch
    {
        "pods" => new(kind, ["po"], ["all"], false),
        "services" => new(kind, ["svc"], ["all"], false),
        "endpoints" => new(kind, ["ep"], [], false),
        "configmaps" => new(kind, ["cm"], [], false),
        "serviceaccounts" => new(kind, ["sa"], [], false),
        "namespaces" => new(kind, ["ns"], [], false),
        "nodes" => new(kind, ["no"], [], false),
        "events" => new(kind, ["ev"], [], false),
        "deployments" => new(kind, ["deploy"], ["all"], true),
        "replicasets" => new(kind, ["rs"], ["all"], true),
        "statefulsets" => new(kind, ["sts"], ["all"], true),
        "daemonsets" => new(kind, ["ds"], ["all"], false),
        "customresourcedefinitions" => new(kind, ["crd", "crds"], ["api-extensions"], false),
        "opentelemetrycollectors" => new(kind, ["otelcol", "otelcols"], [], true),
        "instrumentations" => new(kind, ["otelinst", "otelinsts"], [], false),
        "servicemonitors" => new(kind, ["smon"], ["prometheus-operator"], false),
        "podmonitors" => new(kind, ["pmon"], ["prometheus-operator"], false),
        _ => new(kind, [], [], false),
    };
}
