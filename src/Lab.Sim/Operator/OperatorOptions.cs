namespace OtelLab.Sim.Operator;

/// <summary>The operator's configuration (its command-line flags and feature gates as far as the lab models them).</summary>
public sealed record OperatorOptions
{
    /// <summary>Collector image when <c>spec.image</c> is empty (operator flag <c>--collector-image</c>; UNCONFIRMED default tag).</summary>
    public string CollectorImage { get; init; } = "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s:0.158.0";

    /// <summary>Target Allocator image when <c>targetAllocator.image</c> is empty (flag <c>--target-allocator-image</c>; UNCONFIRMED default tag).</summary>
    public string TargetAllocatorImage { get; init; } = "ghcr.io/open-telemetry/opentelemetry-operator/target-allocator:0.158.0";

    /// <summary>How many hashed collector ConfigMaps are kept (CR <c>spec.configVersions</c>, default 3).</summary>
    public int ConfigVersions { get; init; } = 3;
}
