namespace OtelLab.Sim.Cluster;

/// <summary>What happened to an object, as a Kubernetes watch reports it.</summary>
public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>
/// One change to the cluster: the object after the change (for Deleted, the last state) and, for Modified, the state
/// before. Objects are snapshots: never mutate them; update through <see cref="SimulatedCluster"/>.
/// </summary>
public sealed record WatchEvent(WatchEventType Type, ResourceKind Kind, string? Namespace, string Name, object Object, object? Previous = null)
{
    public override string ToString() => $"{Type} {Kind.Kind} {(Namespace is null ? string.Empty : Namespace + "/")}{Name}";
}
