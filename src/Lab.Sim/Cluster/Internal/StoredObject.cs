using k8s.Models;

namespace OtelLab.Sim.Cluster.Internal;

/// <summary>An object as the store holds it: its kind, metadata (the model's own for core kinds) and model.</summary>
internal sealed class StoredObject
{
    public required ResourceKind Kind { get; init; }

    public required V1ObjectMeta Metadata { get; init; }

    public required object Value { get; init; }

    public string? Namespace => Metadata.NamespaceProperty;

    public string Name => Metadata.Name;
}
