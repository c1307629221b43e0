using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;
using OtelLab.Model.Rbac;
using OtelLab.Sim.ApiServer.Internal.Informers;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.ApiServer;

/// <summary>
/// The API as an emulated component sees it over the wire: KubernetesClient against the lab's API server with the
/// ServiceAccount's bearer token (so the server's authentication and RBAC decide), one informer per kind, namespace
/// and label selector (list, then watch from its resourceVersion, re-list on 410), lists answered from the informer's
/// cache as client-go listers answer them. The fidelity mode of <see cref="IClusterReader"/>.
/// </summary>
public sealed class WireClusterReader : IClusterReader
{
    private readonly Kubernetes _client;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Kind, string? Namespace, string? Selector), Informer> _informers = new();
    private readonly Lock _gate = new();
    private readonly List<Listener> _listeners = [];
    private int _disposed;

    /// <param name="server">The API server (loopback) and its CA.</param>
    /// <param name="token">The ServiceAccount's bearer token; never logged.</param>
    /// <param name="subject">Who the token stands for.</param>
    /// <param name="time">The clock the retry backoffs run on.</param>
    public WireClusterReader(ApiServerEndpoint server, string token, RbacSubject subject, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        _client = new Kubernetes(server.ClientConfiguration(token));
        _time = time ?? TimeProvider.System;
        Subject = subject;
    }

    public RbacSubject Subject { get; }

    /// <summary>Lists, watches, 410s and bookmarks over every informer so far (for tests and the benchmark).</summary>
    public InformerCounts Counts
    {
        get
        {
            var all = _informers.Values.ToList();
            return new InformerCounts(all.Count, all.Sum(i => i.Lists), all.Sum(i => i.Watches), all.Sum(i => i.Expired), all.Sum(i => i.Bookmarks));
        }
    }

    public async Task<IReadOnlyList<object>> ListAsync(string kind, string? ns = null, LabelSelector? selector = null, CancellationToken cancellationToken = default)
    {
        var informer = InformerFor(kind, ns, selector);
        await informer.WaitSyncedAsync(cancellationToken).ConfigureAwait(false);
        return [.. informer.Items(null).Select(o => o.Value)];
    }

    public async IAsyncEnumerable<WatchEvent> Watch(string kind, string? ns = null, bool sendInitialEvents = true, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var informer = InformerFor(kind, ns, null);
        await informer.WaitSyncedAsync(cancellationToken).ConfigureAwait(false);
        var reader = informer.Subscribe(sendInitialEvents);
        try
        {
            await foreach (var e in reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }
        }
        finally
        {
            informer.Unsubscribe(reader);
        }
    }

    public IDisposable OnChanged(IReadOnlyCollection<string> kinds, string? ns, Action changed)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentNullException.ThrowIfNull(changed);
        var listener = new Listener(new HashSet<string>(kinds, StringComparer.Ordinal), ns, changed);
        lock (_gate)
        {
            _listeners.Add(listener);
        }

        return new Unsubscribe(() =>
        {
            lock (_gate)
            {
                _listeners.Remove(listener);
            }
        });
    }

    public V1ObjectMeta? MetadataOf(string kind, string? ns, string name) =>
        _informers.Values.Where(i => i.Kind.Kind == kind).Select(i => i.Find(ns, name)?.Metadata).FirstOrDefault(m => m is not null);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var informer in _informers.Values)
        {
            informer.Dispose();
        }

        _client.Dispose();
    }

    private Informer InformerFor(string kind, string? ns, LabelSelector? selector)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var type = ResourceKind.Of(kind);
        var text = selector is null || selector.IsEmpty ? null : selector.ToString();
        return _informers.GetOrAdd((kind, type.Namespaced ? ns : null, text), key =>
        {
            var informer = new Informer(_client, type, key.Namespace, key.Selector, _time);
            informer.Changed += Notify;
            return informer;
        });
    }

    private void Notify(WatchEvent e)
    {
        List<Listener> due;
        lock (_gate)
        {
            due = [.. _listeners.Where(l => l.Kinds.Contains(e.Kind.Kind) && (l.Namespace is null || l.Namespace == e.Namespace))];
        }

        foreach (var listener in due)
        {
            listener.Schedule();
        }
    }

    /// <summary>
    /// A change callback that runs on the thread pool, at most once queued at a time: events arrive one by one over
    /// the wire (the in-process store raises a batch at once), so a burst costs one callback, not one per event.
    /// </summary>
    private sealed class Listener(HashSet<string> kinds, string? ns, Action changed)
    {
        private int _queued;

        public HashSet<string> Kinds => kinds;

        public string? Namespace => ns;

        public void Schedule()
        {
            if (Interlocked.Exchange(ref _queued, 1) == 0)
            {
                _ = Task.Run(() =>
                {
                    // Cleared before the call: a change during it queues one more run.
                    Volatile.Write(ref _queued, 0);
                    changed();
                });
            }
        }
    }

    private sealed class Unsubscribe(Action stop) : IDisposable
    {
        private Action? _stop = stop;

        public void Dispose() => Interlocked.Exchange(ref _stop, null)?.Invoke();
    }
}

/// <summary>What a <see cref="WireClusterReader"/>'s informers did: how many, and their lists, watches, 410s and bookmarks.</summary>
public sealed record InformerCounts(int Informers, int Lists, int Watches, int Expired, int Bookmarks);
