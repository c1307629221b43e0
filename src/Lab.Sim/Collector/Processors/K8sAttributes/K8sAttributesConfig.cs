using System.Text.RegularExpressions;

namespace OtelLab.Sim.Collector.Processors.K8sAttributes;

/// <summary>
/// The k8sattributes processor's settings (upstream processor/k8sattributesprocessor/config.go). Defaults: the
/// metadata list of upstream's factory (collector.md: namespace, pod name/uid/start_time, deployment, node, container
/// image name/tag), no pod_association rules (the built-in order applies), jaeger pods excluded.
/// </summary>
public sealed record K8sAttributesConfig
{
    /// <summary>upstream factory.go defaultMetadata (the reference's list).</summary>
    public static readonly IReadOnlyList<string> DefaultMetadata =
    [
        "k8s.namespace.name", "k8s.pod.name", "k8s.pod.uid", "k8s.pod.start_time", "k8s.deployment.name",
        "k8s.node.name", "container.image.name", "container.image.tag",
    ];

    /// <summary>Metadata fields the lab extracts (a subset of upstream's; others are refused with upstream's error).</summary>
    public static readonly IReadOnlySet<string> SupportedMetadata = new HashSet<string>(StringComparer.Ordinal)
    {
        "k8s.namespace.name", "k8s.pod.name", "k8s.pod.uid", "k8s.pod.start_time", "k8s.pod.ip", "k8s.pod.hostname",
        "k8s.deployment.name", "k8s.deployment.uid", "k8s.replicaset.name", "k8s.replicaset.uid",
        "k8s.daemonset.name", "k8s.daemonset.uid", "k8s.statefulset.name", "k8s.statefulset.uid", "k8s.node.name",
        "container.image.name", "container.image.tag", "k8s.container.name",
    };

    public bool Passthrough { get; init; }

    public string AuthType { get; init; } = "serviceAccount";

    public IReadOnlyList<string> Metadata { get; init; } = DefaultMetadata;

    public IReadOnlyList<ExtractionRule> Labels { get; init; } = [];

    public IReadOnlyList<ExtractionRule> Annotations { get; init; } = [];

    /// <summary><c>extract.deployment_name_from_replicaset</c>: strip the ReplicaSet's hash suffix instead of watching ReplicaSets.</summary>
    public bool DeploymentNameFromReplicaSet { get; init; }

    /// <summary><c>pod_association</c>: each rule lists sources that must all resolve; empty = upstream's built-in order.</summary>
    public IReadOnlyList<IReadOnlyList<AssociationSource>> PodAssociation { get; init; } = [];

    /// <summary><c>filter.node_from_env_var</c>: the container env var naming the node to restrict the watch to.</summary>
    public string? NodeFromEnvVar { get; init; }

    /// <summary><c>filter.node</c>.</summary>
    public string? Node { get; init; }

    /// <summary><c>filter.namespace</c>: watch only this namespace.</summary>
    public string? Namespace { get; init; }

    /// <summary><c>exclude.pods[].name</c> regexps; upstream default excludes jaeger-agent and jaeger-collector.</summary>
    public IReadOnlyList<Regex> ExcludePods { get; init; } = [new("^jaeger-agent$"), new("^jaeger-collector$")];

    public bool WaitForMetadata { get; init; }

    public TimeSpan WaitForMetadataTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>One <c>pod_association</c> source: <c>from: connection</c> or <c>from: resource_attribute</c> with <c>name</c>.</summary>
public sealed record AssociationSource(string From, string? Name);

/// <summary>A labels/annotations extraction rule (upstream FieldExtractConfig); the lab reads them from pods only.</summary>
public sealed record ExtractionRule(string? TagName, string? Key, Regex? KeyRegex, string From);
