using k8s.Models;

namespace OtelLab.Model.Crds;

/// <summary>An <c>opentelemetry.io/v1alpha1</c> Instrumentation: exporter endpoint, propagators, sampler, per-language agents.</summary>
/// <remarks>upstream: apis/v1alpha1/instrumentation_types.go (InstrumentationSpec).</remarks>
public sealed record Instrumentation
{
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    public string? Endpoint { get; init; }

    public SourceLocation EndpointLocation { get; init; }

    public IReadOnlyList<string> Propagators { get; init; } = [];

    public string? SamplerType { get; init; }

    public string? SamplerArgument { get; init; }

    public IReadOnlyList<V1EnvVar> Env { get; init; } = [];

    /// <summary><c>spec.resource.resourceAttributes</c>: lowest-precedence resource attributes.</summary>
    public IReadOnlyDictionary<string, string> ResourceAttributes { get; init; } = new Dictionary<string, string>();

    /// <summary><c>spec.resource.addK8sUIDAttributes</c>: also emit <c>k8s.*.uid</c> attributes.</summary>
    public bool AddK8sUidAttributes { get; init; }

    /// <summary><c>spec.defaults.useLabelsForResourceAttributes</c>: read <c>app.kubernetes.io/*</c> labels.</summary>
    public bool UseLabelsForResourceAttributes { get; init; }

    /// <summary><c>spec.imagePullPolicy</c>, copied onto the injected init containers.</summary>
    public string? ImagePullPolicy { get; init; }

    public IReadOnlyDictionary<string, InstrumentationLanguage> Languages { get; init; } =
        new Dictionary<string, InstrumentationLanguage>();

    /// <summary>The language block (<c>java</c>, <c>nodejs</c>, …), or an empty one when the CR has none (as upstream's zero-value struct).</summary>
    public InstrumentationLanguage Language(string key) =>
        Languages.TryGetValue(key, out var block) ? block : new InstrumentationLanguage(key, null, []);
}
