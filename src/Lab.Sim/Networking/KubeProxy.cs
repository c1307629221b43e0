using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using k8s.Models;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Networking.Internal;

namespace OtelLab.Sim.Networking;

/// <summary>
/// kube-proxy for the simulated cluster: for every ClusterIP Service TCP port a real listener on VIP:port that
/// forwards each <em>connection</em> to one ready endpoint, chosen round robin at accept time. Long-lived
/// connections (gRPC) therefore stay on one backend for their lifetime, as with iptables/IPVS in production;
/// endpoint changes apply to new connections. With no ready endpoint the port is not listened on, so clients get
/// "connection refused" (kube-proxy's REJECT rule). <c>internalTrafficPolicy: Local</c> only uses endpoints on the
/// client's node (found from the client's pod or node address); a client with none is reset.
/// </summary>
/// <remarks>upstream: kubernetes pkg/proxy (iptables mode: per-connection DNAT, REJECT for services without endpoints,
/// internalTrafficPolicy topology filtering in pkg/proxy/topology.go).</remarks>
public sealed class KubeProxy : IAsyncDisposable
{
    private readonly SimulatedCluster _cluster;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Ns, string Name, int Port), ServicePortListener> _listeners = [];
    private readonly ConcurrentDictionary<(string Ns, string Name, int Port), int> _roundRobin = new();
    private readonly ConcurrentDictionary<string, EndpointCounters> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _nodeByAddress = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<string> _resets = new();
    private readonly List<ServicePortListener> _retired = [];
    private bool _started;
    private bool _disposed;

    public KubeProxy(SimulatedCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        _cluster = cluster;
    }

    /// <summary>Problems binding listeners (address in use, …); never thrown.</summary>
    public IReadOnlyCollection<string> Errors => _errors.ToArray();

    /// <summary>
    /// The last connections reset (at most <see cref="ResetsKept"/>), each with its client, Service port and why: a
    /// client that saw "connection reset" can be told a missing endpoint from an endpoint that did not answer.
    /// </summary>
    public IReadOnlyCollection<string> Resets => _resets.ToArray();

    /// <summary>How many of the last resets <see cref="Resets"/> keeps.</summary>
    public const int ResetsKept = 64;

    /// <summary>The VIP:port endpoints currently listened on.</summary>
    public IReadOnlyList<IPEndPoint> Listening
    {
        get
        {
            lock (_gate)
            {
                return _listeners.Values.Select(l => l.Endpoint).ToList();
            }
        }
    }

    /// <summary>Starts listening for every existing Service and follows changes.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started)
            {
                return;
            }

            _started = true;
        }

        LoopbackSupport.EnsureSupported();
        _cluster.Changed += OnChanged;
        foreach (var pod in _cluster.List<V1Pod>())
        {
            Track(pod, removed: false);
        }

        foreach (var svc in _cluster.List<V1Service>())
        {
            Sync(svc.Metadata.NamespaceProperty, svc.Metadata.Name);
        }
    }

    /// <summary>Connections forwarded to an endpoint (<c>ip:port</c>) so far.</summary>
    public long ConnectionsTo(string endpoint) => _counters.TryGetValue(endpoint, out var c) ? Volatile.Read(ref c.Connections) : 0;

    /// <summary>Per endpoint: connections accepted and bytes forwarded each way (counted when a connection closes).</summary>
    public IReadOnlyDictionary<string, (long Connections, long BytesUp, long BytesDown)> Snapshot() =>
        _counters.ToDictionary(kv => kv.Key, kv => (Volatile.Read(ref kv.Value.Connections), Volatile.Read(ref kv.Value.BytesUp), Volatile.Read(ref kv.Value.BytesDown)));

    public async ValueTask DisposeAsync()
    {
        List<ServicePortListener> listeners;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            listeners = [.. _listeners.Values, .. _retired];
            _listeners.Clear();
            _retired.Clear();
        }

        _cluster.Changed -= OnChanged;
        foreach (var l in listeners)
        {
            await l.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void OnChanged(IReadOnlyList<WatchEvent> batch)
    {
        var dirty = new HashSet<(string?, string)>();
        foreach (var e in batch)
        {
            switch (e.Kind.Kind)
            {
                case "Pod":
                    Track((V1Pod)e.Object, e.Type == WatchEventType.Deleted);
                    break;
                case "Service" or "Endpoints":
                    dirty.Add((e.Namespace, e.Name));
                    break;
            }
        }

        foreach (var (ns, name) in dirty)
        {
            Sync(ns, name);
        }
    }

    private void Track(V1Pod pod, bool removed)
    {
        if (pod.Status?.PodIP is not { } ip || pod.Spec?.NodeName is not { } node || pod.Spec.HostNetwork == true)
        {
            return;
        }

        if (removed)
        {
            _nodeByAddress.TryRemove(new KeyValuePair<string, string>(ip, node));
        }
        else
        {
            _nodeByAddress[ip] = node;
        }
    }

    private void Sync(string? ns, string name)
    {
        ns ??= "default";
        var svc = _cluster.Get<V1Service>(ns, name);
        var endpoints = _cluster.Get<V1Endpoints>(ns, name);
        var wanted = new HashSet<int>();
        if (svc is { Spec.ClusterIP: { } vip } && vip != "None" && IPAddress.TryParse(vip, out var address))
        {
            foreach (var port in svc.Spec.Ports ?? [])
            {
                if ((port.Protocol ?? "TCP") == "TCP" && ReadyEndpoints(endpoints, port.Name).Count > 0)
                {
                    wanted.Add(port.Port);
                    Listen(ns, name, address, port.Port);
                }
            }
        }

        List<ServicePortListener> stale;
        lock (_gate)
        {
            var keys = _listeners.Keys.Where(k => k.Ns == ns && k.Name == name && !wanted.Contains(k.Port)).ToList();
            stale = keys.Select(k => _listeners[k]).ToList();
            foreach (var k in keys)
            {
                _listeners.Remove(k);
            }
        }

        foreach (var l in stale)
        {
            // Refuse new connections at once; connections already forwarded carry on (conntrack keeps them).
            l.Close();
        }

        lock (_gate)
        {
            _retired.AddRange(stale);
        }
    }

    private void Listen(string ns, string name, IPAddress vip, int port)
    {
        var key = (ns, name, port);
        lock (_gate)
        {
            if (_disposed || _listeners.ContainsKey(key))
            {
                return;
            }

            try
            {
                _listeners[key] = new ServicePortListener(new IPEndPoint(vip, port), client => Pick(key, client), Account, (client, why) => Reset(key, client, why));
            }
            catch (System.Net.Sockets.SocketException e)
            {
                _errors.Enqueue($"service {ns}/{name}: cannot listen on {vip}:{port}: {e.SocketErrorCode}");
            }
        }
    }

    private IPEndPoint? Pick((string Ns, string Name, int Port) key, IPAddress client)
    {
        var svc = _cluster.Get<V1Service>(key.Ns, key.Name);
        var port = svc?.Spec.Ports?.FirstOrDefault(p => p.Port == key.Port);
        if (svc is null || port is null)
        {
            return null;
        }

        var candidates = ReadyEndpoints(_cluster.Get<V1Endpoints>(key.Ns, key.Name), port.Name);
        if (svc.Spec.InternalTrafficPolicy == "Local")
        {
            var node = NodeOf(client);
            candidates = candidates.Where(c => node is not null && c.Node == node).ToList();
        }

        if (candidates.Count == 0)
        {
            return null;
        }

        var turn = _roundRobin.AddOrUpdate(key, 0, (_, n) => n + 1);
        var chosen = candidates[(int)((uint)turn % (uint)candidates.Count)];
        var endpoint = new IPEndPoint(IPAddress.Parse(chosen.Ip), chosen.Port);
        Interlocked.Increment(ref _counters.GetOrAdd(endpoint.ToString(), _ => new EndpointCounters()).Connections);
        return endpoint;
    }

    private string? NodeOf(IPAddress client)
    {
        var text = client.ToString();
        if (_nodeByAddress.TryGetValue(text, out var node))
        {
            return node;
        }

        return LoopbackAddressPlan.IsNode(client)
            ? _cluster.Options.NodeNamePrefix + client.GetAddressBytes()[3].ToString(CultureInfo.InvariantCulture)
            : null;
    }

    private void Reset((string Ns, string Name, int Port) key, IPAddress client, string why)
    {
        _resets.Enqueue(string.Create(CultureInfo.InvariantCulture, $"{client} → service {key.Ns}/{key.Name}:{key.Port}: {why}"));
        while (_resets.Count > ResetsKept && _resets.TryDequeue(out _))
        {
        }
    }

    private void Account(IPEndPoint endpoint, long up, long down)
    {
        var c = _counters.GetOrAdd(endpoint.ToString(), _ => new EndpointCounters());
        Interlocked.Add(ref c.BytesUp, up);
        Interlocked.Add(ref c.BytesDown, down);
    }

    private static List<(string Ip, int Port, string? Node)> ReadyEndpoints(V1Endpoints? endpoints, string? portName) =>
        endpoints?.Subsets?
            .SelectMany(s => (s.Addresses ?? []).SelectMany(a => (s.Ports ?? []).Where(p => p.Name == portName).Select(p => (a.Ip, p.Port, (string?)a.NodeName))))
            .OrderBy(x => x.Ip, StringComparer.Ordinal)
            .ToList() ?? [];

    private sealed class EndpointCounters
    {
        public long Connections;
        public long BytesUp;
        public long BytesDown;
    }
}
