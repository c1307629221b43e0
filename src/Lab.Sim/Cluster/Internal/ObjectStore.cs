using System.Globalization;

namespace OtelLab.Sim.Cluster.Internal;

/// <summary>
/// The API server's storage: objects by kind and namespace/name, a global resourceVersion, and an owner index
/// (owner uid → dependents) for controllers and garbage collection. Not thread-safe: the cluster's lock guards it.
/// </summary>
internal sealed class ObjectStore
{
    private readonly Dictionary<ResourceKind, Dictionary<(string Ns, string Name), StoredObject>> _byKind = [];
    private readonly Dictionary<string, HashSet<StoredObject>> _dependents = new(StringComparer.Ordinal);
    private readonly Dictionary<ResourceKind, StoredObject[]> _sorted = [];
    private long _resourceVersion;

    public string NextResourceVersion() => (++_resourceVersion).ToString(CultureInfo.InvariantCulture);

    /// <summary>The newest resourceVersion handed out (a list's <c>metadata.resourceVersion</c>).</summary>
    public long CurrentResourceVersion => _resourceVersion;

    public StoredObject? Get(ResourceKind kind, string? ns, string name) =>
        _byKind.TryGetValue(kind, out var map) && map.TryGetValue((ns ?? string.Empty, name), out var o) ? o : null;

    public IEnumerable<StoredObject> List(ResourceKind kind, string? ns = null)
    {
        if (!_byKind.TryGetValue(kind, out var map))
        {
            return [];
        }

        return ns is null ? map.Values : map.Values.Where(o => (o.Namespace ?? string.Empty) == ns);
    }

    /// <summary>
    /// Objects of a kind (one namespace, or all when null) sorted by namespace and name, as the API server lists them.
    /// The sorted order of a kind is kept until an object of it is added or removed (a replaced one takes its place):
    /// the live views and checks list 9,000 pods every second, and sorting them each time under the cluster's lock
    /// was the largest single cost of a 9,000-target lab at real time. Only a list of every namespace builds that order:
    /// while pods are being created it is dropped at every one, and a list of one small namespace then sorts its own
    /// objects, not all 9,000. The result may be the kept order itself, which a replace rewrites in place: read it
    /// under the cluster's lock, as every caller copies it.
    /// </summary>
    public IEnumerable<StoredObject> ListSorted(ResourceKind kind, string? ns = null)
    {
        if (_sorted.TryGetValue(kind, out var sorted))
        {
            return ns is null ? sorted : sorted.Where(o => (o.Namespace ?? string.Empty) == ns);
        }

        if (!_byKind.TryGetValue(kind, out var map))
        {
            return [];
        }

        if (ns is not null)
        {
            var own = map.Values.Where(o => (o.Namespace ?? string.Empty) == ns).ToArray();
            Array.Sort(own, ByNamespaceAndName.Instance);
            return own;
        }

        sorted = [.. map.Values];
        Array.Sort(sorted, ByNamespaceAndName.Instance);
        _sorted[kind] = sorted;
        return sorted;
    }

    public int Count(ResourceKind kind) => _byKind.TryGetValue(kind, out var map) ? map.Count : 0;

    public IEnumerable<StoredObject> DependentsOf(string ownerUid) =>
        _dependents.TryGetValue(ownerUid, out var set) ? set.ToList() : [];

    /// <summary>Stores (adds or replaces) an object and returns the previous version.</summary>
    public StoredObject? Put(StoredObject obj)
    {
        if (!_byKind.TryGetValue(obj.Kind, out var map))
        {
            map = [];
            _byKind[obj.Kind] = map;
        }

        var key = (obj.Namespace ?? string.Empty, obj.Name);
        map.TryGetValue(key, out var previous);
        if (previous is not null)
        {
            Unindex(previous);
        }

        map[key] = obj;
        Index(obj);
        if (_sorted.TryGetValue(obj.Kind, out var sorted))
        {
            var at = previous is null ? -1 : Array.BinarySearch(sorted, previous, ByNamespaceAndName.Instance);
            if (at >= 0)
            {
                sorted[at] = obj;
            }
            else
            {
                _sorted.Remove(obj.Kind);
            }
        }

        return previous;
    }

    public StoredObject? Remove(ResourceKind kind, string? ns, string name)
    {
        if (!_byKind.TryGetValue(kind, out var map) || !map.Remove((ns ?? string.Empty, name), out var removed))
        {
            return null;
        }

        Unindex(removed);
        _sorted.Remove(kind);
        return removed;
    }

    private void Index(StoredObject obj)
    {
        foreach (var owner in obj.Metadata.OwnerReferences ?? [])
        {
            if (!_dependents.TryGetValue(owner.Uid, out var set))
            {
                set = [];
                _dependents[owner.Uid] = set;
            }

            set.Add(obj);
        }
    }

    private void Unindex(StoredObject obj)
    {
        foreach (var owner in obj.Metadata.OwnerReferences ?? [])
        {
            if (_dependents.TryGetValue(owner.Uid, out var set))
            {
                set.Remove(obj);
                if (set.Count == 0)
                {
                    _dependents.Remove(owner.Uid);
                }
            }
        }
    }

    private sealed class ByNamespaceAndName : IComparer<StoredObject>
    {
        public static readonly ByNamespaceAndName Instance = new();

        public int Compare(StoredObject? x, StoredObject? y)
        {
            var byNamespace = string.CompareOrdinal(x?.Namespace, y?.Namespace);
            return byNamespace != 0 ? byNamespace : string.CompareOrdinal(x?.Name, y?.Name);
        }
    }
}
