using System.Globalization;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Cluster.Internal;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// <c>limit</c> and <c>continue</c> on a list, as the API server pages from etcd: every page of one list reads the
/// snapshot of its first page (the items in key order as of that resourceVersion), until the store compacts it.
/// The sim keeps the snapshots a paged list is reading instead of etcd's MVCC history, and drops them after
/// <see cref="CompactionInterval"/> (kube-apiserver's default <c>--etcd-compaction-interval</c>, 5 minutes); a token
/// for a dropped snapshot gets etcd3's 410 Expired with the "inconsistent" token that resumes on the latest state.
/// </summary>
internal sealed class ListPager(SimulatedCluster cluster)
{
    /// <summary>upstream: apiserver pkg/server/options/etcd.go — DefaultCompactInterval 5m.</summary>
    public static readonly TimeSpan CompactionInterval = TimeSpan.FromMinutes(5);

    /// <summary>Snapshots kept at most (the oldest goes first), so a client paging without end cannot grow the store.</summary>
    public const int MaxSnapshots = 64;

    // upstream: apiserver pkg/storage/etcd3/errors.go inconsistentContinue.
    public const string ExpiredMessage = "The provided continue parameter is too old to display a consistent list result. You can start a new list " +
        "without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with " +
        "the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk " +
        "was returned and now may show up in the list.";

    private readonly Dictionary<(string Resource, string? Namespace, long ResourceVersion), (IReadOnlyList<StoredObject> Items, long Taken)> _snapshots = [];

    public ListPage Read(ResourceKind kind, string? ns, Func<StoredObject, bool> filter, bool selecting, string? limitText, string? continueText, string? resourceVersion)
    {
        var limit = ParseLimit(limitText);
        var resource = kind.QualifiedResource;
        if (string.IsNullOrEmpty(continueText))
        {
            var (all, rv) = cluster.Snapshot(kind, ns);

            // upstream: apiserver storage/cacher shouldDelegateList — resourceVersion=0 is served from the watch
            // cache, which ignores limit: the whole list, no continue (what a reflector's first list gets).
            if (limit == 0 || resourceVersion == "0")
            {
                return new ListPage(all.Where(filter).ToList(), rv, null, null);
            }

            return Page(resource, ns, InKeyOrder(all, ns), rv, 0, limit, filter, selecting);
        }

        // upstream: apiserver pkg/storage/etcd3/store.go GetList — a continue carries its own resourceVersion.
        if (!string.IsNullOrEmpty(resourceVersion) && resourceVersion != "0")
        {
            throw new ClusterApiException(400, "BadRequest", "specifying resource version is not allowed when using continue");
        }

        var token = ContinueToken.Decode(continueText);
        IReadOnlyList<StoredObject> items;
        long at;
        if (Kept(resource, ns, token.ResourceVersion) is { } kept)
        {
            (items, at) = (kept, token.ResourceVersion);
        }
        else
        {
            var (all, rv) = cluster.Snapshot(kind, ns);
            if (token.ResourceVersion != -1 && token.ResourceVersion != rv)
            {
                // upstream: apiserver pkg/storage/etcd3/errors.go handleCompactedErrorForPaging — 410 Expired, and a
                // token with rv -1 that goes on from the same key on the latest state.
                var status = StatusResponse.Failure(410, "Expired", ExpiredMessage);
                status["metadata"]!["continue"] = new ContinueToken(-1, token.StartKey).Encode();
                throw new StatusException(status);
            }

            (items, at) = (InKeyOrder(all, ns), rv);
        }

        var start = 0;
        while (start < items.Count && string.CompareOrdinal(Key(items[start], ns), token.StartKey) < 0)
        {
            start++;
        }

        return Page(resource, ns, items, at, start, limit == 0 ? int.MaxValue : limit, filter, selecting);
    }

    private ListPage Page(string resource, string? ns, IReadOnlyList<StoredObject> items, long rv, int start, int limit, Func<StoredObject, bool> filter, bool selecting)
    {
        var page = new List<StoredObject>();
        var i = start;
        for (; i < items.Count && page.Count < limit; i++)
        {
            if (filter(items[i]))
            {
                page.Add(items[i]);
            }
        }

        // More keys after the last one returned: a next page (even if none of them matches the selectors, as etcd's
        // range read cannot know). An rv -1 continuation read the latest state, and its own token names that state.
        if (i >= items.Count || page.Count == 0)
        {
            return new ListPage(page, rv, null, null);
        }

        Keep(resource, ns, rv, items);

        // upstream: etcd3 store GetList — remainingItemCount only when the list has no selectors to filter by.
        return new ListPage(page, rv, ContinueToken.After(rv, Key(page[^1], ns)), selecting ? null : items.Count - i);
    }

    private IReadOnlyList<StoredObject>? Kept(string resource, string? ns, long rv)
    {
        lock (_snapshots)
        {
            Compact();
            return _snapshots.TryGetValue((resource, ns, rv), out var s) ? s.Items : null;
        }
    }

    private void Keep(string resource, string? ns, long rv, IReadOnlyList<StoredObject> items)
    {
        lock (_snapshots)
        {
            Compact();
            _snapshots.TryAdd((resource, ns, rv), (items, cluster.Time.GetTimestamp()));
            while (_snapshots.Count > MaxSnapshots)
            {
                _snapshots.Remove(_snapshots.MinBy(s => s.Value.Taken).Key);
            }
        }
    }

    private void Compact()
    {
        foreach (var key in _snapshots.Where(s => cluster.Time.GetElapsedTime(s.Value.Taken) >= CompactionInterval).Select(s => s.Key).ToList())
        {
            _snapshots.Remove(key);
        }
    }

    private static List<StoredObject> InKeyOrder(IReadOnlyList<StoredObject> items, string? ns) =>
        [.. items.OrderBy(o => Key(o, ns), StringComparer.Ordinal)];

    // The object's etcd key below the list's prefix (/registry/<resource>/[namespace/]).
    private static string Key(StoredObject o, string? ns) => ns is null && o.Namespace is { Length: > 0 } n ? $"{n}/{o.Name}" : o.Name;

    private static int ParseLimit(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        // upstream: the query parameter decodes into ListOptions.Limit (int64); a value that is no integer is a 400.
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var limit))
        {
            throw new ClusterApiException(400, "BadRequest", $"strconv.ParseInt: parsing \"{text}\": invalid syntax");
        }

        return limit <= 0 ? 0 : (int)Math.Min(limit, int.MaxValue);
    }
}
