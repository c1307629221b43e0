using k8s.Models;
using OtelLab.Sim.Cluster.Internal;

namespace OtelLab.Sim.Cluster;

/// <summary>
/// Deletion with owner references, as the API server and the garbage collector carry it out, synchronously under the
/// cluster's lock: background, foreground and orphan propagation, and namespace deletion through the
/// <c>kubernetes</c> finalizer. upstream: kubernetes pkg/controller/garbagecollector/garbagecollector.go
/// (attemptToDeleteItem: a dependent goes only when none of its owners remain, else the dangling references are
/// removed; orphanDependents; processDeletingDependentsItem for foreground), apiserver registry/generic/registry/store.go
/// (deletionTimestamp + the orphan/foregroundDeletion finalizers), pkg/controller/namespace/deletion.
/// </summary>
public sealed partial class SimulatedCluster
{
    /// <summary>The finalizer a foreground delete puts on the owner (metav1.FinalizerDeleteDependents).</summary>
    public const string ForegroundFinalizer = "foregroundDeletion";

    /// <summary>The finalizer an orphaning delete puts on the owner (metav1.FinalizerOrphanDependents).</summary>
    public const string OrphanFinalizer = "orphan";

    /// <summary>Deletes an object with the given propagation to its dependents; false when it does not exist.</summary>
    public bool Delete(string kind, string? ns, string name, PropagationPolicy propagation)
    {
        var k = ResourceKind.Of(kind);
        lock (_gate)
        {
            var deleted = DeleteLocked(k, k.Namespaced ? ns ?? "default" : null, name, propagation);
            Drain();
            return deleted;
        }
    }

    internal bool DeleteLocked(ResourceKind kind, string? ns, string name, PropagationPolicy propagation)
    {
        var existing = _store.Get(kind, ns, name);
        if (existing is null)
        {
            return false;
        }

        if (existing.Value is not V1Namespace && (existing.Metadata.Finalizers ?? []).Any(f => f is not ForegroundFinalizer and not OrphanFinalizer))
        {
            // upstream: registry/generic/registry/store.go Delete (updateForGracefulDeletionAndFinalizers) — an object
            // with finalizers is only marked with a deletionTimestamp; it goes once its finalizers are removed.
            MarkDeleting(existing, null);
            return true;
        }

        if (existing.Value is V1Namespace)
        {
            TerminateNamespace(existing);
        }
        else if (propagation == PropagationPolicy.Orphan)
        {
            foreach (var dependent in _store.DependentsOf(existing.Metadata.Uid))
            {
                DropOwnerReference(dependent, existing.Metadata.Uid);
            }
        }
        else if (propagation == PropagationPolicy.Foreground)
        {
            // The owner stays visible, marked, while its dependents go (a watcher sees MODIFIED, the dependents' DELETED, then DELETED).
            MarkDeleting(existing, ForegroundFinalizer);
            foreach (var dependent in _store.DependentsOf(existing.Metadata.Uid))
            {
                CollectDependent(dependent, existing.Metadata.Uid, PropagationPolicy.Foreground);
            }
        }

        var removed = RemoveLocked(kind, ns, name);
        if (removed is not null && propagation == PropagationPolicy.Background)
        {
            foreach (var dependent in _store.DependentsOf(removed.Metadata.Uid))
            {
                CollectDependent(dependent, removed.Metadata.Uid, PropagationPolicy.Background);
            }
        }

        return removed is not null;
    }

    /// <summary>A dependent whose owner went: deleted when no other owner remains, else only the dangling reference goes.</summary>
    private void CollectDependent(StoredObject dependent, string ownerUid, PropagationPolicy propagation)
    {
        var others = (dependent.Metadata.OwnerReferences ?? []).Where(r => r.Uid != ownerUid && OwnerExists(r, dependent.Namespace)).ToList();
        if (others.Count > 0)
        {
            DropOwnerReference(dependent, ownerUid);
            return;
        }

        DeleteLocked(dependent.Kind, dependent.Namespace, dependent.Name, propagation);
    }

    private bool OwnerExists(V1OwnerReference reference, string? dependentNamespace)
    {
        var kind = ResourceKind.Find(reference.Kind);
        return kind is not null && _store.Get(kind, kind.Namespaced ? dependentNamespace : null, reference.Name)?.Metadata.Uid == reference.Uid;
    }

    private void DropOwnerReference(StoredObject dependent, string ownerUid)
    {
        var meta = ObjectModel.CloneMeta(dependent.Metadata);
        meta.OwnerReferences = meta.OwnerReferences?.Where(r => r.Uid != ownerUid).ToList();
        if (meta.OwnerReferences is { Count: 0 })
        {
            meta.OwnerReferences = null;
        }

        UpdateLocked(dependent.Kind, WithMetadata(dependent.Value, meta), meta, admit: false);
    }

    /// <summary>Removes an object whose finalizers are all gone; its dependents go in the background.</summary>
    private void FinishDelete(ResourceKind kind, string? ns, string name)
    {
        if (RemoveLocked(kind, ns, name) is { } removed)
        {
            foreach (var dependent in _store.DependentsOf(removed.Metadata.Uid))
            {
                CollectDependent(dependent, removed.Metadata.Uid, PropagationPolicy.Background);
            }
        }
    }

    private void MarkDeleting(StoredObject o, string? finalizer)
    {
        var meta = ObjectModel.CloneMeta(o.Metadata);
        meta.DeletionTimestamp ??= Time.GetUtcNow().UtcDateTime;
        meta.DeletionGracePeriodSeconds ??= 0;
        if (finalizer is not null && meta.Finalizers?.Contains(finalizer) != true)
        {
            meta.Finalizers = [.. meta.Finalizers ?? [], finalizer];
        }

        UpdateLocked(o.Kind, WithMetadata(o.Value, meta), meta, admit: false);
    }

    /// <summary>
    /// upstream: a namespace being deleted turns Terminating (deletionTimestamp, status.phase) and keeps its
    /// <c>kubernetes</c> finalizer until the namespace controller has deleted everything in it; then it goes.
    /// </summary>
    private void TerminateNamespace(StoredObject ns)
    {
        var terminating = (V1Namespace)ObjectModel.Clone(ns.Value);
        terminating.Metadata.DeletionTimestamp ??= Time.GetUtcNow().UtcDateTime;
        terminating.Status ??= new V1NamespaceStatus();
        terminating.Status.Phase = "Terminating";
        UpdateLocked(ns.Kind, terminating, null, admit: false, handOver: true);
        foreach (var k in ResourceKind.All.Where(k => k.Namespaced))
        {
            foreach (var o in _store.List(k, ns.Name).ToList())
            {
                DeleteLocked(k, o.Namespace, o.Name, PropagationPolicy.Background);
            }
        }
    }

    /// <summary>A copy of a model with <paramref name="meta"/> as its metadata (CR models keep theirs apart, so they are returned as is).</summary>
    private static object WithMetadata(object value, V1ObjectMeta meta)
    {
        var copy = ObjectModel.Clone(value);
        if (copy is IMetadata<V1ObjectMeta> m)
        {
            m.Metadata = meta;
        }

        return copy;
    }
}
