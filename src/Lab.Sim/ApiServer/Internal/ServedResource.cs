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

    /// <summary>The kinds the store holds, with kubectl's names for them; custom kinds only when their CRD group is installed.</summary>
    public static IReadOnlyList<ServedResource> For(SimulatedCluster cluster) =>
        ResourceKind.All
            .Where(cluster.Options.Installs)
            .Select(Describe)
            .ToList();

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
