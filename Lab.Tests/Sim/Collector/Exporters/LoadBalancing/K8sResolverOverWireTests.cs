using System.Collections.Concurrent;
using OtelLab.Model.Collector;
using OtelLab.Sim.ApiServer;
using OtelLab.Sim.Collector.Exporters.LoadBalancing;
using OtelLab.Sim.Vault;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Collector.Exporters.LoadBalancing;

/// <summary>
/// watchOverWire: the loadbalancing exporter's k8s resolver lists and watches Endpoints through the lab's API server
/// with the collector pod's ServiceAccount token (the same informer type as the TA's and k8sattributes').
/// </summary>
[Trait("Category", "Component")]
public sealed class K8sResolverOverWireTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static readonly string Gateways = GatewayFleetManifests.Gateways(replicas: 2, collectorVersion: "0.105.0");

    private const string EndpointsRbac = GatewayFleetManifests.EndpointsRbac;

    private readonly ServiceAccountTokenIssuer _issuer = new();
    private readonly ConcurrentDictionary<string, CapturingConsumer> _backends = new();

    public void Dispose() => _issuer.Dispose();

    [Fact]
    public async Task Watches_the_services_endpoints_over_the_wire_and_follows_a_new_ready_pod()
    {
        var ct = TestContext.Current.CancellationToken;
        var local = await ComponentHarness.StartAsync(Gateways + "\n---\n" + EndpointsRbac);
        await using var server = await KubernetesApiServer.StartAsync(local.Cluster, cancellationToken: ct);
        var harness = OverWire(local, server);
        MarkReady(harness);

        // When the exporter starts with the k8s resolver
        await using var exporter = Create(harness, "resolver: {k8s: {service: gateway-headless.obs}}");
        await exporter.StartAsync(ct);

        // Then it resolves both gateways through a watch held open on the API server
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(exporter.Backends.Count == 2), Wait, ct), $"backends: {string.Join(", ", exporter.Backends)}");
        Assert.True(server.OpenWatches > 0);

        // And a third gateway Ready reaches it over the watch
        harness.Cluster.Scale("Deployment", "obs", "gateway", 3);
        Assert.True(await harness.Cluster.WaitUntilAsync(c => SimFixtures.PodsOf(c, "obs", "app=gateway").Count == 3, Wait, ct));
        MarkReady(harness);
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(exporter.Backends.Count == 3), Wait, ct), $"backends: {string.Join(", ", exporter.Backends)}");
    }

    [Fact]
    public async Task Without_rbac_the_api_servers_403_is_logged()
    {
        var ct = TestContext.Current.CancellationToken;
        var local = await ComponentHarness.StartAsync(Gateways);
        await using var server = await KubernetesApiServer.StartAsync(local.Cluster, cancellationToken: ct);
        var harness = OverWire(local, server);

        await using var exporter = Create(harness, "resolver: {k8s: {service: gateway-headless}}");
        await exporter.StartAsync(ct);

        // The same text as in process: the API server's RBAC refused the informer's list
        const string Forbidden = "failed to list *v1.Endpoints: endpoints is forbidden: User \"system:serviceaccount:obs:otel\" cannot list resource \"endpoints\" in API group \"\" in the namespace \"obs\"";
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(harness.Container.Log.Lines().Any(l => l.Contains(Forbidden, StringComparison.Ordinal))), Wait, ct),
            string.Join('\n', harness.Container.Log.Lines()));
    }

    private ComponentHarness OverWire(ComponentHarness harness, KubernetesApiServer server)
    {
        server.ServiceAccountTokens = _issuer.Review;
        return harness.WithComponentApi(subject => new WireClusterReader(server.Endpoint, _issuer.Issue(subject.Namespace, subject.Name), subject));
    }

    private static void MarkReady(ComponentHarness harness)
    {
        foreach (var pod in SimFixtures.PodsOf(harness.Cluster, "obs", "app=gateway"))
        {
            SimFixtures.MarkReady(harness.Cluster, pod);
        }
    }

    private LoadBalancingExporter Create(ComponentHarness harness, string settings) =>
        (LoadBalancingExporter)new LoadBalancingFactory((endpoint, _) => _backends.GetOrAdd(endpoint, _ => new CapturingConsumer()))
            .Create(harness.Context("loadbalancing", ComponentKind.Exporter, settings));
}
