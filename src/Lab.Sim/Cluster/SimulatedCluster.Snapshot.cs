using OtelLab.Sim.Cluster.Internal;

namespace OtelLab.Sim.Cluster;

/// <summary>Consistent reads for the API server: a list and the resourceVersion it was taken at.</summary>
public sealed partial class SimulatedCluster
{
    /// <summary>The newest resourceVersion the store has handed out.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _store.CurrentResourceVersion;
            }
        }
    }

    /// <summary>Objects of a kind (one namespace, or all when null) and the resourceVersion of that state, read under one lock.</summary>
    internal (IReadOnlyList<StoredObject> Items, long ResourceVersion) Snapshot(ResourceKind kind, string? ns)
    {
        lock (_gate)
        {
            var items = _store.ListSorted(kind, ns).ToList();
            return (items, _store.CurrentResourceVersion);
        }
    }

    internal StoredObject? GetStored(ResourceKind kind, string? ns, string name)
    {
        lock (_gate)
        {
            return _store.Get(kind, kind.Namespaced ? ns : null, name);
        }
    }

    /// <summary>Runs <paramref name="action"/> under the cluster's lock (a watch registering against a consistent resourceVersion).</summary>
    internal T Locked<T>(Func<long, T> action)
    {
        lock (_gate)
        {
            return action(_store.CurrentResourceVersion);
        }
    }
}
