using System.Net;
using k8s.Models;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Networking.Internal;

namespace OtelLab.Sim.Networking;

/// <summary>
/// The CNI <c>portmap</c> plugin for the simulated cluster: for every container port with a <c>hostPort</c> of a pod
/// that has an address, a listener on <c>hostIP:hostPort</c> forwarding each connection to <c>podIP:containerPort</c>
/// from the client's own address (DNAT keeps the source, so the agent collector sees the sending pod's IP). A port
/// without <c>hostPort</c> is not reachable at the node address: connection refused, as in production.
/// </summary>
/// <remarks>upstream: containernetworking/plugins plugins/meta/portmap (DNAT of hostIP:hostPort to the container).</remarks>
public sealed class HostPortMap : IAsyncDisposable
{
    private readonly SimulatedCluster _cluster;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<ServicePortListener>> _byPod = new(StringComparer.Ordinal);
    private readonly List<string> _errors = [];
    private bool _disposed;

    public HostPortMap(SimulatedCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        _cluster = cluster;
    }

    /// <summary>hostIP:hostPort endpoints listened on now.</summary>
    public IReadOnlyList<IPEndPoint> Listening
    {
        get
        {
            lock (_gate)
            {
                return _byPod.Values.SelectMany(l => l).Select(l => l.Endpoint).ToList();
            }
        }
    }

    /// <summary>Ports that could not be mapped (address in use, …); never thrown.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_gate)
            {
                return [.. _errors];
            }
        }
    }

    public void Start()
    {
        LoopbackSupport.EnsureSupported();
        _cluster.Changed += OnChanged;
        foreach (var pod in _cluster.List<V1Pod>())
        {
            Sync(pod, removed: false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _cluster.Changed -= OnChanged;
        List<ServicePortListener> all;
        lock (_gate)
        {
            _disposed = true;
            all = _byPod.Values.SelectMany(l => l).ToList();
            _byPod.Clear();
        }

        foreach (var listener in all)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void OnChanged(IReadOnlyList<WatchEvent> batch)
    {
        foreach (var e in batch.Where(e => e.Kind.Kind == "Pod"))
        {
            Sync((V1Pod)e.Object, e.Type == WatchEventType.Deleted);
        }
    }

    private void Sync(V1Pod pod, bool removed)
    {
        var key = pod.Metadata.Uid ?? $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";
        List<ServicePortListener>? stale = null;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (removed)
            {
                _byPod.Remove(key, out stale);
            }
            else if (!_byPod.ContainsKey(key) && IPAddress.TryParse(pod.Status?.PodIP, out var podIp) && IPAddress.TryParse(pod.Status?.HostIP, out var hostIp))
            {
                var listeners = new List<ServicePortListener>();
                foreach (var port in (pod.Spec?.Containers ?? []).SelectMany(c => c.Ports ?? []).Where(p => p.HostPort is > 0 && p.Protocol is null or "TCP"))
                {
                    var target = new IPEndPoint(podIp, port.ContainerPort);
                    var bind = new IPEndPoint(hostIp, port.HostPort!.Value);
                    try
                    {
                        listeners.Add(new ServicePortListener(bind, _ => target, static (_, _, _) => { }));
                    }
                    catch (System.Net.Sockets.SocketException e)
                    {
                        _errors.Add($"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}: hostPort {bind}: {e.Message}");
                    }
                }

                _byPod[key] = listeners;
            }
        }

        if (stale is not null)
        {
            _ = Task.Run(async () =>
            {
                foreach (var listener in stale)
                {
                    await listener.DisposeAsync().ConfigureAwait(false);
                }
            });
        }
    }
}
