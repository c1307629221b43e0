using System.Net;
using k8s.Models;
using OtelLab.Sim.Networking;

namespace OtelLab.Tests.Sim.Networking;

[Trait("Category", "Unit")]
public sealed class ClusterDnsTests
{
    private const string Manifests = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: observability}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: payments}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: gw, namespace: observability}
        spec: {selector: {app: gw}, ports: [{name: otlp, port: 4317}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: col-headless, namespace: observability}
        spec: {clusterIP: None, selector: {app: col}, ports: [{name: m, port: 8888}]}
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: col, namespace: observability}
        spec:
          replicas: 2
          serviceName: col-headless
          podManagementPolicy: Parallel
          selector: {matchLabels: {app: col}}
          template:
            metadata: {labels: {app: col}}
            spec: {containers: [{name: c, image: x:1}]}
        """;

    [Theory]
    [InlineData("gw", "observability")]
    [InlineData("gw.observability", "payments")]
    [InlineData("gw.observability.svc", "payments")]
    [InlineData("gw.observability.svc.cluster.local", "payments")]
    [InlineData("gw.observability.svc.cluster.local.", "payments")]
    public async Task Service_names_resolve_to_the_cluster_ip_in_every_form(string name, string fromNamespace)
    {
        var (cluster, dns) = await NewAsync();
        var vip = cluster.Get<V1Service>("observability", "gw")!.Spec.ClusterIP;

        var found = dns.Resolve(name, new ResolverContext(fromNamespace));

        Assert.Equal([IPAddress.Parse(vip)], found);
        Assert.True(LoopbackAddressPlan.IsService(found[0]));
    }

    [Fact]
    public async Task A_short_name_resolves_only_in_its_own_namespace()
    {
        var (_, dns) = await NewAsync();

        Assert.Empty(dns.Resolve("gw", new ResolverContext("payments")));
    }

    [Fact]
    public async Task Headless_service_resolves_to_ready_pod_ips_and_statefulset_pods_have_their_own_names()
    {
        // Given a headless Service over two StatefulSet pods, only col-0 ready
        var (cluster, dns) = await NewAsync();
        var col0 = cluster.Get<V1Pod>("observability", "col-0")!;
        SimFixtures.MarkReady(cluster, col0);
        var from = new ResolverContext("payments");

        // Then the Service name gives the ready pod's IP, and pod DNS names resolve while the pod is ready
        Assert.Equal([IPAddress.Parse(col0.Status.PodIP)], dns.Resolve("col-headless.observability.svc", from));
        Assert.Equal([IPAddress.Parse(col0.Status.PodIP)], dns.Resolve("col-0.col-headless.observability.svc.cluster.local", from));
        Assert.Equal([IPAddress.Parse(col0.Status.PodIP)], dns.Resolve("col-0.col-headless", new ResolverContext("observability")));
        Assert.Empty(dns.Resolve("col-1.col-headless.observability.svc.cluster.local", from));
    }

    [Fact]
    public async Task Node_names_and_outside_names_do_not_resolve_unless_added()
    {
        var (_, dns) = await NewAsync();
        var from = new ResolverContext("payments");

        Assert.Empty(dns.Resolve("lab-node-1", from));
        Assert.Empty(dns.Resolve("api.datadoghq.com", from));

        dns.AddHost("api.datadoghq.com", IPAddress.Parse("127.2.0.1"));
        Assert.Equal([IPAddress.Parse("127.2.0.1")], dns.Resolve("api.datadoghq.com", from));
        Assert.Throws<ArgumentException>(() => dns.AddHost("evil.example", IPAddress.Parse("10.0.0.1")));
    }

    [Fact]
    public async Task Localhost_is_the_asking_pod_and_ip_literals_pass_through()
    {
        var (_, dns) = await NewAsync();
        var pod = IPAddress.Parse("127.64.0.9");

        Assert.Equal([pod], dns.Resolve("localhost", new ResolverContext("payments", pod)));
        Assert.Equal([IPAddress.Parse("127.1.0.2")], dns.Resolve("127.1.0.2", new ResolverContext("payments")));
    }

    private static async Task<(OtelLab.Sim.Cluster.SimulatedCluster, ClusterDns)> NewAsync()
    {
        var cluster = SimFixtures.NewCluster();
        var result = await SimFixtures.ApplyYamlAsync(cluster, Manifests);
        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
        return (cluster, new ClusterDns(cluster));
    }
}
