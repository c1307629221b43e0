using k8s.Models;

namespace OtelLab.Sim.Cluster.Internal.Controllers;

/// <summary>Which owner objects a batch of changes asks a workload controller to sync (its informer event handlers).</summary>
internal static class Triggers
{
    /// <summary>
    /// Owners of <paramref name="ownerKind"/> that changed, whose controlled <paramref name="childKind"/> objects
    /// changed, every owner in a namespace that gained a ServiceAccount (pod creation may now pass admission), and,
    /// when <paramref name="onNodes"/>, every owner when nodes change.
    /// </summary>
    public static List<StoredObject> OwnersToSync(SimulatedCluster cluster, IReadOnlyList<WatchEvent> batch, string ownerKind, string childKind, bool onNodes = false)
    {
        var kind = ResourceKind.Of(ownerKind);
        var keys = new HashSet<(string? Ns, string Name)>();
        foreach (var e in batch)
        {
            if (e.Kind.Kind == ownerKind && e.Type != WatchEventType.Deleted)
            {
                keys.Add((e.Namespace, e.Name));
            }
            else if (e.Kind.Kind == childKind)
            {
                foreach (var o in new[] { e.Object, e.Previous })
                {
                    if (o is not null && ObjectModel.MetadataOf(o) is { } meta && ObjectModel.ControllerOf(meta) is { } owner && owner.Kind == ownerKind)
                    {
                        keys.Add((e.Namespace, owner.Name));
                    }
                }
            }
            else if ((e.Kind.Kind == "ServiceAccount" && e.Type == WatchEventType.Added) || (onNodes && e.Kind.Kind == "Node"))
            {
                foreach (var o in cluster.Store.List(kind, e.Kind.Kind == "Node" ? null : e.Namespace))
                {
                    keys.Add((o.Namespace, o.Name));
                }
            }
        }

        return keys
            .Select(k => cluster.Store.Get(kind, k.Ns, k.Name))
            .Where(o => o is not null)
            .Select(o => o!)
            .OrderBy(o => o.Namespace, StringComparer.Ordinal)
            .ThenBy(o => o.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The live objects of <paramref name="childKind"/> whose controller is <paramref name="owner"/>.</summary>
    public static List<StoredObject> Controlled(SimulatedCluster cluster, StoredObject owner, string childKind) =>
        cluster.Store.DependentsOf(owner.Metadata.Uid)
            .Where(o => o.Kind.Kind == childKind && ObjectModel.ControllerOf(o.Metadata)?.Uid == owner.Metadata.Uid)
            .ToList();

    public static V1OwnerReference OwnerReference(StoredObject owner) => new()
    {
        ApiVersion = owner.Kind.ApiVersion,
        Kind = owner.Kind.Kind,
        Name = owner.Name,
        Uid = owner.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };
}
