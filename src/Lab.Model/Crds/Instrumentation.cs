using k8s.Models;

namespace OtelLab.Model.Crds;

/// <summary>An <c>opentelemetry.io/v1alpha1</c> Instrumentation: exporter endpoint, propagators, sampler, per-language agents.</summary>
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

    public IReadOnlyDictionary<string, InstrumentationLanguage> Languages { get; init; } =
        new Dictionary<string, InstrumentationLanguage>();
}
