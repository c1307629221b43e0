using OtelLab.Sim.Kubelet;

namespace OtelLab.Scenarios.Resources;

/// <summary>What a resource's start and health delegates get: its own log and the lab clock.</summary>
public sealed class ResourceContext
{
    public required string Name { get; init; }

    public required ContainerLog Log { get; init; }

    public required TimeProvider Time { get; init; }
}
