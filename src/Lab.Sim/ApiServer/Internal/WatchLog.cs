using System.Globalization;
using System.Threading.Channels;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Cluster.Internal;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// The watch cache: the cluster's recent changes keyed by resourceVersion, so a watch can start from the
/// resourceVersion of a list (and a too-old one is refused with 410 Gone, as the apiserver's cacher refuses one older
/// than its window: apiserver pkg/storage/cacher/watch_cache.go getAllEventsSinceLocked).
/// </summary>
internal sealed class WatchLog : IDisposable
{
    private const int Capacity = 20_000;

    private readonly SimulatedCluster _cluster;
    private readonly LinkedList<WatchEntry> _events = new();
    private readonly List<Subscription> _subscriptions = [];
    private long _floor;

    public WatchLog(SimulatedCluster cluster)
    {
        _cluster = cluster;
        _cluster.Locked(rv =>
        {
            _floor = rv;
            _cluster.Changed += OnChanged;
            return 0;
        });
    }

    public void Dispose()
    {
        _cluster.Changed -= OnChanged;
        lock (_subscriptions)
        {
            foreach (var s in _subscriptions)
            {
                s.Channel.Writer.TryComplete();
            }

            _subscriptions.Clear();
        }
    }

    /// <summary>
    /// Subscribes to changes of <paramref name="kind"/> matching <paramref name="filter"/>. With no resourceVersion
    /// (or "0") the stream starts with an ADDED event per current object (apiserver storage/interfaces.go: "0" means
    /// any state, unset means the most recent); with one, with the changes after it, or throws 410 Expired.
    /// </summary>
    public ChannelReader<WatchEntry> Subscribe(ResourceKind kind, Func<StoredObject, bool> filter, string? resourceVersion)
    {
        var channel = Channel.CreateUnbounded<WatchEntry>(new UnboundedChannelOptions { SingleReader = true });
        _cluster.Locked(current =>
        {
            lock (_subscriptions)
            {
                if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
                {
                    foreach (var o in _cluster.Snapshot(kind, null).Items.Where(filter))
                    {
                        channel.Writer.TryWrite(new WatchEntry(WatchEventType.Added, o, long.Parse(o.Metadata.ResourceVersion, CultureInfo.InvariantCulture)));
                    }
                }
                else
                {
                    if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                    {
                        throw new ClusterApiException(400, "BadRequest", $"invalid resource version: {resourceVersion}");
                    }

                    if (from < _floor)
                    {
                        // upstream: apiserver storage/errors.go NewTooLargeResourceVersionError / cacher "too old resource version: %d (%d)".
                        throw new ClusterApiException(410, "Expired", $"too old resource version: {from} ({current})");
                    }

                    foreach (var e in _events.Where(e => e.ResourceVersion > from && e.Object.Kind == kind && filter(e.Object)))
                    {
                        channel.Writer.TryWrite(e);
                    }
                }

                _subscriptions.Add(new Subscription(kind, filter, channel));
            }

            return 0;
        });
        return channel.Reader;
    }

    /// <summary>
    /// Forgets the history up to now and ends every open watch with 410 Expired, as a compaction of etcd ends the
    /// watches it overtakes (upstream: apiserver storage/etcd3/watcher.go, "The resourceVersion for the provided watch
    /// is too old."): a reflector must then re-list.
    /// </summary>
    public int Expire()
    {
        return _cluster.Locked(current =>
        {
            lock (_subscriptions)
            {
                _floor = current;
                _events.Clear();
                foreach (var s in _subscriptions)
                {
                    s.Channel.Writer.TryComplete(new ClusterApiException(410, "Expired", "The resourceVersion for the provided watch is too old."));
                }

                var ended = _subscriptions.Count;
                _subscriptions.Clear();
                return ended;
            }
        });
    }

    /// <summary>
    /// The resourceVersion a BOOKMARK may carry for <paramref name="reader"/>: the cluster's current one when every
    /// event up to it is already in the stream (events are written under the cluster's lock), else null.
    /// </summary>
    public long? BookmarkVersion(ChannelReader<WatchEntry> reader) =>
        _cluster.Locked<long?>(current => reader.TryPeek(out _) ? null : current);

    /// <summary>Watches being served now.</summary>
    public int Open
    {
        get
        {
            lock (_subscriptions)
            {
                return _subscriptions.Count;
            }
        }
    }

    public void Unsubscribe(ChannelReader<WatchEntry> reader)
    {
        lock (_subscriptions)
        {
            _subscriptions.RemoveAll(s => s.Channel.Reader == reader);
        }
    }

    // Runs under the cluster's lock (Changed is raised synchronously), so entries are in resourceVersion order.
    private void OnChanged(IReadOnlyList<WatchEvent> batch)
    {
        var current = _cluster.ResourceVersion;
        lock (_subscriptions)
        {
            foreach (var e in batch)
            {
                var meta = ObjectModel.MetadataOf(e.Object) ?? _cluster.GetStored(e.Kind, e.Namespace, e.Name)?.Metadata;
                if (meta is null && e.Type != WatchEventType.Deleted)
                {
                    continue;
                }

                var stored = new StoredObject { Kind = e.Kind, Metadata = meta ?? new k8s.Models.V1ObjectMeta { Name = e.Name, NamespaceProperty = e.Namespace }, Value = e.Object };
                var rv = e.Type == WatchEventType.Deleted || meta?.ResourceVersion is null
                    ? current
                    : long.Parse(meta.ResourceVersion, CultureInfo.InvariantCulture);
                var entry = new WatchEntry(e.Type, stored, rv);
                _events.AddLast(entry);
                if (_events.Count > Capacity)
                {
                    // Events at or below the floor are forgotten: a watch from there can no longer be served.
                    _floor = _events.First!.Value.ResourceVersion;
                    _events.RemoveFirst();
                }

                foreach (var s in _subscriptions.Where(s => s.Kind == e.Kind && s.Filter(stored)))
                {
                    s.Channel.Writer.TryWrite(entry);
                }
            }
        }
    }

    private sealed record Subscription(ResourceKind Kind, Func<StoredObject, bool> Filter, Channel<WatchEntry> Channel);
}
