using k8s.Models;
using OtelLab.Model.Collector;

namespace OtelLab.Model.Crds;

/// <summary>An <c>opentelemetry.io</c> OpenTelemetryCollector (v1beta1, or v1alpha1 whose config is a string).</summary>
public sealed record OpenTelemetryCollector
{
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    public required string ApiVersion { get; init; }

    public string Mode { get; init; } = CollectorMode.Deployment;

    public int Replicas { get; init; } = 1;

    public string? Image { get; init; }

    /// <summary><c>spec.serviceAccount</c>; when null the operator creates <c>&lt;name&gt;-collector</c>.</summary>
    public string? ServiceAccount { get; init; }

    public IReadOnlyList<V1EnvVar> Env { get; init; } = [];

    public IReadOnlyList<V1EnvFromSource> EnvFrom { get; init; } = [];

    public IReadOnlyList<CollectorPort> Ports { get; init; } = [];

    public IReadOnlyDictionary<string, string> PodAnnotations { get; init; } = new Dictionary<string, string>();

    public bool HostNetwork { get; init; }

    public required CollectorConfig Config { get; init; }

    public TargetAllocatorSpec TargetAllocator { get; init; } = new();

    /// <summary>The ServiceAccount the collector pods run as (operator naming, §4).</summary>
    public string EffectiveServiceAccount => ServiceAccount ?? $"{Name}-collector";

    public string ServiceName => $"{Name}-collector";

    /// <summary>
    /// Variables the operator adds to the collector container besides spec.env: POD_NAME (fieldRef metadata.name)
    /// always, SHARD=0 with the Target Allocator (upstream internal/manifests/collector/container.go).
    /// </summary>
    public IReadOnlyList<string> OperatorEnvNames => TargetAllocator.Enabled ? ["POD_NAME", "SHARD"] : ["POD_NAME"];

    public string HeadlessServiceName => $"{Name}-collector-headless";
}
