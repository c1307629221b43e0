using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using k8s.Models;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Kubelet.Internal;
using OtelLab.Sim.Networking;

namespace OtelLab.Sim.Kubelet;

/// <summary>
/// The kubelet of one node: runs the containers of pods bound to the node (once they have an address) through the
/// container runtimes, restarts them with the crash-loop back-off, reports container states, restart counts,
/// readiness and phase in the pod status, keeps each container's log, and stops containers of deleted pods.
/// </summary>
public sealed class Kubelet : IAsyncDisposable
{
    private readonly SimulatedCluster _cluster;
    private readonly ConcurrentDictionary<string, PodWorker> _pods = new(StringComparer.Ordinal);

    // The same workers by namespace and name: logs and containers are asked for by name (checks, the dashboard), once
    // per container of every pod not yet Ready, and a walk of every worker per ask made a 9,000-pod start-up quadratic.
    private readonly ConcurrentDictionary<(string? Namespace, string Name), PodWorker> _byName = new();
    private readonly Channel<WatchEvent> _events = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly IdleContainerRuntime _idle = new();
    private readonly ConcurrentDictionary<string, PodWorker> _dirty = new(StringComparer.Ordinal);
    private readonly Channel<bool> _statusSignal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentQueue<PodStop> _shutdownStops = new();
    private Task _loop = Task.CompletedTask;
    private Task _statusLoop = Task.CompletedTask;

    public Kubelet(SimulatedCluster cluster, string nodeName, KubeletOptions? options = null, IClusterResolver? resolver = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        _cluster = cluster;
        NodeName = nodeName;
        NodeAddress = cluster.NodeAddress(nodeName) ?? throw new ArgumentException($"node {nodeName} does not exist", nameof(nodeName));
        Options = options ?? new KubeletOptions();
        Resolver = resolver ?? new ClusterDns(cluster);
    }

    public string NodeName { get; }

    public IPAddress NodeAddress { get; }

    public KubeletOptions Options { get; }

    public IClusterResolver Resolver { get; }

    /// <summary>Starts the pods already bound to this node and follows changes.</summary>
    public void Start()
    {
        _cluster.Changed += OnChanged;
        foreach (var pod in _cluster.List<V1Pod>())
        {
            _events.Writer.TryWrite(new WatchEvent(WatchEventType.Added, ResourceKind.Of("Pod"), pod.Metadata.NamespaceProperty, pod.Metadata.Name, pod));
        }

        _loop = LoopAsync();
        _statusLoop = StatusLoopAsync();
    }

    /// <summary>The log of a container of a pod on this node (kept while the pod exists), or null.</summary>
    public ContainerLog? LogOf(string ns, string pod, string container) =>
        _byName.GetValueOrDefault((ns, pod))?.Containers.FirstOrDefault(c => c.Name == container)?.Log;

    /// <summary>A container of a pod on this node (while the pod exists), or null.</summary>
    public RunningContainer? Find(string ns, string pod, string container) =>
        _byName.GetValueOrDefault((ns, pod))?.Containers.FirstOrDefault(c => c.Name == container)?.Snapshot();

    public async ValueTask DisposeAsync()
    {
        _cluster.Changed -= OnChanged;
        _events.Writer.TryComplete();
        _statusSignal.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var task in new[] { _loop, _statusLoop })
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        // The kubelet's node shutdown stops pods in parallel, each with its own grace period
        // (pkg/kubelet/nodeshutdown, processShutdownEvent: one goroutine per pod of a priority group, then a WaitGroup).
        await Task.WhenAll(_pods.Values.Select(StopTimedAsync)).ConfigureAwait(false);
        _pods.Clear();
        _byName.Clear();
        _stop.Dispose();
    }

    /// <summary>How long each pod took to stop at this kubelet's shutdown: a slow shutdown names the pods that held it.</summary>
    public IReadOnlyCollection<PodStop> ShutdownStops => _shutdownStops;

    private async Task StopTimedAsync(PodWorker worker)
    {
        var began = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await worker.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            _shutdownStops.Enqueue(new PodStop(worker.Pod.Metadata.NamespaceProperty, worker.Pod.Metadata.Name, System.Diagnostics.Stopwatch.GetElapsedTime(began)));
        }
    }

    internal void MarkDirty(PodWorker worker)
    {
        _dirty[worker.Pod.Metadata.Uid] = worker;
        _statusSignal.Writer.TryWrite(true);
    }

    internal IContainerRuntime? RuntimeFor(string image) =>
        Options.Runtimes.FirstOrDefault(r => r.CanRun(image)) ?? (Options.IdleUnknownImages ? _idle : null);

    private void OnChanged(IReadOnlyList<WatchEvent> batch)
    {
        foreach (var e in batch)
        {
            if (e.Kind.Kind == "Pod")
            {
                _events.Writer.TryWrite(e);
            }
        }
    }

    // Status writes are coalesced: every pod whose containers changed since the last write goes out in one call,
    // as the kubelet's status manager batches syncs; each pod's status is built when written, so none is stale.
    private async Task StatusLoopAsync()
    {
        await foreach (var _ in _statusSignal.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
        {
            var pods = new List<V1Pod>();
            foreach (var key in _dirty.Keys.ToList())
            {
                if (_dirty.TryRemove(key, out var worker) && _pods.ContainsKey(key) && worker.BuildStatus() is { } pod)
                {
                    pods.Add(pod);
                }
            }

            if (pods.Count > 0)
            {
                _cluster.UpdateStatuses(pods);
            }
        }
    }

    private async Task LoopAsync()
    {
        await foreach (var e in _events.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
        {
            var pod = (V1Pod)e.Object;
            var key = pod.Metadata.Uid;
            if (e.Type == WatchEventType.Deleted)
            {
                if (_pods.TryRemove(key, out var gone))
                {
                    _byName.TryRemove(KeyValuePair.Create<(string?, string), PodWorker>((pod.Metadata.NamespaceProperty, pod.Metadata.Name), gone));
                    await gone.StopAsync().ConfigureAwait(false);
                }

                continue;
            }

            if (pod.Spec?.NodeName != NodeName || string.IsNullOrEmpty(pod.Status?.PodIP) || _pods.ContainsKey(key))
            {
                continue;
            }

            if (_cluster.Get<V1Pod>(pod.Metadata.NamespaceProperty, pod.Metadata.Name)?.Metadata.Uid != key)
            {
                continue;
            }

            var worker = new PodWorker(this, _cluster, pod);
            _pods[key] = worker;
            _byName[(pod.Metadata.NamespaceProperty, pod.Metadata.Name)] = worker;
            worker.Start();
        }
    }
}
