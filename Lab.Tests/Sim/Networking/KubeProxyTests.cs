using System.Net;
using System.Net.Sockets;
using k8s.Models;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Networking;

using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Networking;

[Collection(nameof(SimulatedNetworkCollection))]
[Trait("Category", "Lab")]
public sealed class KubeProxyTests : IAsyncLifetime
{
    private const string Manifests = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: obs}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: gw, namespace: obs}
        spec:
          replicas: 3
          selector: {matchLabels: {app: gw}}
          template:
            metadata: {labels: {app: gw}}
            spec: {containers: [{name: c, image: x:1, ports: [{name: grpc, containerPort: 4317}]}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: gw, namespace: obs}
        spec:
          selector: {app: gw}
          ports: [{name: otlp-grpc, port: 4317, targetPort: grpc}]
        """;

    private readonly List<LineEchoServer> _servers = [];
    private SimulatedCluster _cluster = null!;
    private KubeProxy _proxy = null!;

    public async ValueTask InitializeAsync()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        _cluster = SimFixtures.NewCluster();
        await SimFixtures.ApplyYamlAsync(_cluster, Manifests);
        foreach (var pod in _cluster.List<V1Pod>("obs"))
        {
            _servers.Add(new LineEchoServer(new IPEndPoint(IPAddress.Parse(pod.Status.PodIP), 4317)));
            SimFixtures.MarkReady(_cluster, pod);
        }

        _proxy = new KubeProxy(_cluster);
        _proxy.Start();
    }

    public async ValueTask DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        foreach (var s in _servers)
        {
            await s.DisposeAsync();
        }
    }

    private IPEndPoint Vip => new(IPAddress.Parse(_cluster.Get<V1Service>("obs", "gw")!.Spec.ClusterIP), 4317);

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_connection_sticks_to_one_backend_for_its_lifetime()
    {
        // Given one client connection through the Service VIP
        using var client = await LineClient.ConnectAsync(Vip);

        // When it sends 20 requests (as a gRPC channel multiplexes RPCs over one connection)
        var backends = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            backends.Add((await client.AskAsync()).Server);
        }

        // Then every request reached the same pod
        Assert.Single(backends);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task New_connections_rotate_round_robin_over_ready_endpoints()
    {
        // Given 3 ready endpoints, when 9 separate connections each send one request
        var hits = new Dictionary<string, int>();
        for (var i = 0; i < 9; i++)
        {
            using var client = await LineClient.ConnectAsync(Vip);
            var server = (await client.AskAsync()).Server;
            hits[server] = hits.GetValueOrDefault(server) + 1;
        }

        // Then each endpoint got exactly 3 (round robin is deterministic, no tolerance needed)
        Assert.Equal(3, hits.Count);
        Assert.All(hits.Values, n => Assert.Equal(3, n));
        Assert.All(_cluster.List<V1Pod>("obs"), p => Assert.Equal(3, _proxy.ConnectionsTo($"{p.Status.PodIP}:4317")));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task The_backend_sees_the_client_pod_address_as_the_source()
    {
        // Given a client bound to its pod address (as every emulated workload is)
        var from = TestAddressSlot.Pod(0, 200, 7);
        using var client = await LineClient.ConnectAsync(Vip, from);

        // Then the backend sees that address, not the VIP or 127.0.0.1 (k8sattributes relies on it)
        Assert.Equal(from.ToString(), (await client.AskAsync()).SeenClient);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Endpoint_changes_apply_to_new_connections_only()
    {
        // Given a connection pinned to some backend
        using var pinned = await LineClient.ConnectAsync(Vip);
        var first = (await pinned.AskAsync()).Server;

        // When that backend's pod becomes unready (removed from endpoints)
        var pod = _cluster.List<V1Pod>("obs").Single(p => p.Status.PodIP == first);
        SimFixtures.MarkReady(_cluster, pod, ready: false);

        // Then the open connection still reaches it, and new connections never do
        Assert.Equal(first, (await pinned.AskAsync()).Server);
        for (var i = 0; i < 4; i++)
        {
            using var fresh = await LineClient.ConnectAsync(Vip);
            Assert.NotEqual(first, (await fresh.AskAsync()).Server);
        }
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task No_ready_endpoints_means_connection_refused()
    {
        // Given an open connection, then every pod unready
        using var open = await LineClient.ConnectAsync(Vip);
        var pinned = (await open.AskAsync()).Server;
        foreach (var pod in _cluster.List<V1Pod>("obs"))
        {
            SimFixtures.MarkReady(_cluster, pod, ready: false);
        }

        // Then connecting to the VIP is refused, as kube-proxy's REJECT rule does
        var e = await Assert.ThrowsAsync<SocketException>(async () => await LineClient.ConnectAsync(Vip));
        Assert.Equal(SocketError.ConnectionRefused, e.SocketErrorCode);

        // While the connection opened before keeps working (conntrack)
        Assert.Equal(pinned, (await open.AskAsync()).Server);

        // And a pod becoming ready opens it again
        SimFixtures.MarkReady(_cluster, _cluster.List<V1Pod>("obs")[0]);
        using var client = await LineClient.ConnectAsync(Vip);
        Assert.Equal(_cluster.List<V1Pod>("obs")[0].Status.PodIP, (await client.AskAsync()).Server);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Internal_traffic_policy_local_only_uses_endpoints_on_the_client_node()
    {
        // Given the Service switched to internalTrafficPolicy: Local
        var svc = k8s.KubernetesJson.Deserialize<V1Service>(k8s.KubernetesJson.Serialize(_cluster.Get<V1Service>("obs", "gw")!));
        svc.Spec.InternalTrafficPolicy = "Local";
        _cluster.Update(svc);
        var local = _cluster.List<V1Pod>("obs")[0];

        // When a client on that pod's node (bound to the node address) connects several times
        var nodeIp = _cluster.NodeAddress(local.Spec.NodeName)!;
        for (var i = 0; i < 4; i++)
        {
            using var client = await LineClient.ConnectAsync(Vip, nodeIp);

            // Then only the node-local endpoint answers
            Assert.Equal(local.Status.PodIP, (await client.AskAsync()).Server);
        }
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Every_reset_connection_is_kept_with_its_client_service_and_reason()
    {
        // Given a Service whose three pods are listed Ready but whose servers have stopped
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        _servers.Clear();

        // When a client connects through the VIP
        await AssertResetAsync(from: null);

        // And, with internalTrafficPolicy: Local, a client on a node that runs none of the Service's pods
        var svc = k8s.KubernetesJson.Deserialize<V1Service>(k8s.KubernetesJson.Serialize(_cluster.Get<V1Service>("obs", "gw")!));
        svc.Spec.InternalTrafficPolicy = "Local";
        _cluster.Update(svc);
        var bytes = _cluster.NodeAddress(_cluster.List<V1Pod>("obs")[0].Spec.NodeName)!.GetAddressBytes();
        bytes[3] = 250;
        var elsewhere = new IPAddress(bytes);
        await AssertResetAsync(elsewhere);

        // Then each reset is kept with the client's address, the Service port and why
        var resets = _proxy.Resets;
        Assert.Contains(resets, r => r.StartsWith("127.0.0.1 → service obs/gw:4317: endpoint ", StringComparison.Ordinal) && r.EndsWith(":4317: ConnectionRefused", StringComparison.Ordinal));
        Assert.Contains($"{elsewhere} → service obs/gw:4317: no ready endpoint for this client", resets);
    }

    private async Task AssertResetAsync(IPAddress? from)
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var client = await LineClient.ConnectAsync(Vip, from);
            await client.AskAsync();
        });
        Assert.True(e is SocketException or IOException, e.ToString());
    }
}
