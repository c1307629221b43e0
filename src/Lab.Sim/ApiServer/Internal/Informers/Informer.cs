using System.Net;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using k8s.Models;
using OtelLab.Sim.Cluster;
using K8sEventType = k8s.WatchEventType;
using WatchEventType = OtelLab.Sim.Cluster.WatchEventType;

namespace OtelLab.Sim.ApiServer.Internal.Informers;

/// <summary>
/// A reflector and its cache for one kind in one namespace over the wire, as client-go's does
/// (upstream: k8s.io/client-go tools/cache/reflector.go ListAndWatch): list, then watch from the list's
/// resourceVersion with bookmarks and a 5–10 minute timeout, re-watch from the last resourceVersion seen when the
/// stream ends, re-list when the server answers 410 Expired/Gone (with resourceVersion "" then: a consistent read,
/// reflector.go relistResourceVersion), and retry a failed list with backoff (800 ms doubling to 30 s).
/// </summary>
internal sealed class Informer : IDisposable
{
    private static readonly TimeSpan MinWatchTimeout = TimeSpan.FromMinutes(5);

    private readonly ResourceKind _kind;
    private readonly ListWatchCall _call;
    private readonly IKubernetes _client;
    private readonly ListWatchOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string?, string), InformedObject> _items = [];
    private readonly List<Channel<WatchEvent>> _subscribers = [];
    private readonly TaskCompletionSource _firstListDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private string _resourceVersion = "0";
    private ClusterApiException? _listError;
    private bool _synced;

    public Informer(IKubernetes client, ResourceKind kind, string? ns, string? labelSelector, TimeProvider time)
    {
        _client = client;
        _kind = kind;
        _call = ListWatchCall.For(kind);
        _options = new ListWatchOptions(kind.Namespaced ? ns : null, labelSelector, null, false, null);
        _time = time;
        _run = Task.Run(() => RunAsync(_stop.Token));
    }

    public ResourceKind Kind => _kind;

    public string? Namespace => _options.Namespace;

    /// <summary>Raised on the informer's loop after each change applied to the cache (never under its lock).</summary>
    public event Action<WatchEvent>? Changed;

    /// <summary>Lists made (the first included): a re-list follows a 410.</summary>
    public int Lists { get; private set; }

    /// <summary>Watch requests made (each re-watch after a stream ended counts).</summary>
    public int Watches { get; private set; }

    /// <summary>410 Expired/Gone answers received on a watch.</summary>
    public int Expired { get; private set; }

    /// <summary>BOOKMARK events received.</summary>
    public int Bookmarks { get; private set; }

    /// <summary>The resourceVersion the next watch starts from.</summary>
    public string ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>Waits for the first list's outcome; throws the API server's refusal when the last list failed.</summary>
    public async Task WaitSyncedAsync(CancellationToken cancellationToken)
    {
        await _firstListDone.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (!_synced && _listError is { } error)
            {
                throw new ClusterApiException(error.StatusCode, error.Reason, error.Message);
            }
        }
    }

    public IReadOnlyList<InformedObject> Items(LabelSelector? selector)
    {
        lock (_gate)
        {
            return [.. _items.Values.Where(o => selector is null || selector.Matches(o.Metadata.Labels))];
        }
    }

    public InformedObject? Find(string? ns, string name)
    {
        lock (_gate)
        {
            return _items.GetValueOrDefault((ns, name));
        }
    }

    /// <summary>A stream of the cache's changes; with <paramref name="initial"/> it starts with an Added event per cached object.</summary>
    public ChannelReader<WatchEvent> Subscribe(bool initial)
    {
        var channel = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            if (initial)
            {
                foreach (var o in _items.Values)
                {
                    channel.Writer.TryWrite(new WatchEvent(WatchEventType.Added, _kind, o.Metadata.NamespaceProperty, o.Metadata.Name, o.Value));
                }
            }

            _subscribers.Add(channel);
        }

        return channel.Reader;
    }

    public void Unsubscribe(ChannelReader<WatchEvent> reader)
    {
        lock (_gate)
        {
            _subscribers.RemoveAll(c => c.Reader == reader);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _run.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        lock (_gate)
        {
            foreach (var c in _subscribers)
            {
                c.Writer.TryComplete();
            }

            _subscribers.Clear();
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(800);
        var relistFromLatest = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ListAsync(relistFromLatest ? string.Empty : "0", cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromMilliseconds(800);
                relistFromLatest = await WatchUntilExpiredAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            // An object the lab cannot decode (InvalidOperationException) fails the list like a refusal: retried, not lost.
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or ClusterApiException or KubernetesException or IOException or InvalidOperationException)
            {
                lock (_gate)
                {
                    _listError = AsApiError(e);
                    _synced = false;
                }

                _firstListDone.TrySetResult();
                try
                {
                    await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    // reflector.go syncWith: the list replaces the store; the differences reach handlers as add/update/delete.
    private async Task ListAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        Lists++;
        var (items, listVersion) = await _call.ListAsync(_client, _options with { ResourceVersion = resourceVersion }, cancellationToken).ConfigureAwait(false);
        var events = new List<WatchEvent>();
        lock (_gate)
        {
            var seen = new HashSet<(string?, string)>();
            foreach (var o in items)
            {
                var key = (o.Metadata.NamespaceProperty, o.Metadata.Name);
                seen.Add(key);
                var before = _items.GetValueOrDefault(key);
                if (before is null || before.Metadata.ResourceVersion != o.Metadata.ResourceVersion)
                {
                    _items[key] = o;
                    events.Add(new WatchEvent(before is null ? WatchEventType.Added : WatchEventType.Modified, _kind, key.Item1, key.Item2, o.Value, before?.Value));
                }
            }

            foreach (var gone in _items.Keys.Where(k => !seen.Contains(k)).ToList())
            {
                events.Add(new WatchEvent(WatchEventType.Deleted, _kind, gone.Item1, gone.Item2, _items[gone].Value));
                _items.Remove(gone);
            }

            _resourceVersion = listVersion;
            _listError = null;
            _synced = true;
        }

        _firstListDone.TrySetResult();
        Publish(events);
    }

    /// <summary>Watches until the server says the resourceVersion expired (true) or the loop stops.</summary>
    private async Task<bool> WatchUntilExpiredAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(800);
        while (!cancellationToken.IsCancellationRequested)
        {
            // reflector.go watchList/ListAndWatch: timeoutSeconds = minWatchTimeout * (1 + rand) so watches spread out.
            var timeout = (int)(MinWatchTimeout.TotalSeconds * (1 + Random.Shared.NextDouble()));
            var expired = false;
            Watches++;
            try
            {
                var options = _options with { ResourceVersion = ResourceVersion, TimeoutSeconds = timeout };
                await foreach (var (type, o) in _call.WatchAsync(_client, options, e => expired |= IsExpired(e), cancellationToken).ConfigureAwait(false))
                {
                    Apply(type, o);
                }
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Gone)
            {
                expired = true;
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                // reflector.go: a broken connection re-watches from the last resourceVersion after a backoff.
                await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                continue;
            }

            if (expired)
            {
                Expired++;
                return true;
            }
        }

        return false;
    }

    private static bool IsExpired(Exception e) =>
        e is KubernetesException { Status.Code: 410 } || (e as KubernetesException)?.Status?.Reason is "Expired" or "Gone";

    private void Apply(K8sEventType type, InformedObject o)
    {
        WatchEvent? change = null;
        lock (_gate)
        {
            if (o.Metadata.ResourceVersion is { Length: > 0 } rv)
            {
                _resourceVersion = rv;
            }

            var key = (o.Metadata.NamespaceProperty, o.Metadata.Name);
            switch (type)
            {
                case K8sEventType.Bookmark:
                    Bookmarks++;
                    return;
                case K8sEventType.Added or K8sEventType.Modified:
                    var before = _items.GetValueOrDefault(key);
                    _items[key] = o;
                    change = new WatchEvent(before is null ? WatchEventType.Added : WatchEventType.Modified, _kind, key.Item1, key.Item2, o.Value, before?.Value);
                    break;
                case K8sEventType.Deleted:
                    _items.Remove(key);
                    change = new WatchEvent(WatchEventType.Deleted, _kind, key.Item1, key.Item2, o.Value);
                    break;
                default:
                    return;
            }
        }

        Publish([change]);
    }

    private void Publish(IReadOnlyList<WatchEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            foreach (var c in _subscribers)
            {
                foreach (var e in events)
                {
                    c.Writer.TryWrite(e);
                }
            }
        }

        foreach (var e in events)
        {
            Changed?.Invoke(e);
        }
    }

    // The API server's Status travels in the response body; keep its code, reason and message verbatim.
    internal static ClusterApiException AsApiError(Exception e)
    {
        switch (e)
        {
            case ClusterApiException api:
                return api;
            case HttpOperationException http:
                try
                {
                    var status = KubernetesJson.Deserialize<V1Status>(http.Response.Content);
                    if (status?.Message is { } message)
                    {
                        return new ClusterApiException(status.Code ?? (int)http.Response.StatusCode, status.Reason ?? http.Response.StatusCode.ToString(), message);
                    }
                }
                catch (System.Text.Json.JsonException)
                {
                }

                return new ClusterApiException((int)http.Response.StatusCode, http.Response.StatusCode.ToString(), http.Message);
            case KubernetesException k:
                return new ClusterApiException(k.Status?.Code ?? 500, k.Status?.Reason ?? "InternalError", k.Status?.Message ?? k.Message);
            default:
                return new ClusterApiException(503, "ServiceUnavailable", e.Message);
        }
    }
}
