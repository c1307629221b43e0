namespace OtelLab.Model.Crds;

/// <summary>
/// <c>spec.targetAllocator</c> of an OpenTelemetryCollector (and the spec of a v1alpha1 TargetAllocator), with the
/// webhook defaults applied (upstream operator.md §4).
/// </summary>
public sealed record TargetAllocatorSpec
{
    public bool Enabled { get; init; }

    public string AllocationStrategy { get; init; } = Crds.AllocationStrategy.ConsistentHashing;

    public string FilterStrategy { get; init; } = "relabel-config";

    public string? ServiceAccount { get; init; }

    public int Replicas { get; init; } = 1;

    public string? Image { get; init; }

    public PrometheusCRSettings PrometheusCR { get; init; } = new(false, "30s", null, null);

    public string CollectorNotReadyGracePeriod { get; init; } = "30s";

    public SourceLocation Location { get; init; }
}
