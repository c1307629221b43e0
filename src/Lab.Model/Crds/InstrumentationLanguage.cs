using k8s.Models;

namespace OtelLab.Model.Crds;

/// <summary>A language block of an Instrumentation (<c>java</c>, <c>python</c>, <c>nodejs</c>, …).</summary>
/// <remarks>upstream: apis/v1alpha1/instrumentation_types.go (Java, NodeJS, Python, DotNet, …).</remarks>
public sealed record InstrumentationLanguage(string Language, string? Image, IReadOnlyList<V1EnvVar> Env)
{
    /// <summary>Init container resources (<c>java.resources</c>; <c>resourceRequirements</c> for the other languages).</summary>
    public V1ResourceRequirements? Resources { get; init; }

    /// <summary><c>volumeLimitSize</c>: the emptyDir size limit (upstream default 200Mi).</summary>
    public ResourceQuantity? VolumeSizeLimit { get; init; }

    /// <summary><c>java.extensions</c>: extra images copied into the agent's extensions folder.</summary>
    public IReadOnlyList<InstrumentationExtension> Extensions { get; init; } = [];
}
