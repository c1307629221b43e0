using System.Collections.Concurrent;
using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Exporters.LoadBalancing;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Traces;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Collector.Exporters.LoadBalancing;

[Trait("Category", "Component")]
public sealed class LoadBalancingExporterTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static readonly string Gateways = GatewayFleetManifests.Gateways(replicas: 3, collectorVersion: "0.115.0");

    private const string EndpointsRbac = GatewayFleetManifests.EndpointsRbac;

    private readonly ConcurrentDictionary<string, CapturingConsumer> _backends = new();

    private LoadBalancingExporter Create(ComponentHarness harness, string settings) =>
        (LoadBalancingExporter)new LoadBalancingFactory((endpoint, _) => _backends.GetOrAdd(endpoint, _ => new CapturingConsumer()))
            .Create(harness.Context("loadbalancing", ComponentKind.Exporter, settings));

    private static List<TraceSpan> Traces(int traces, int spansPerTrace) =>
        [.. Enumerable.Range(1, traces).SelectMany(t => Enumerable.Range(1, spansPerTrace).Select(s => new TraceSpan
        {
            TraceId = new TraceId((ulong)t * 0x9E3779B97F4A7C15UL, (ulong)t),
            SpanId = (ulong)((t * 100) + s),
            Resource = TelemetryResource.ForService(s % 2 == 0 ? "payments" : "checkout"),
        }))];

    private static async Task MarkGatewaysReadyAsync(ComponentHarness harness)
    {
        foreach (var pod in SimFixtures.PodsOf(harness.Cluster, "obs", "app=gateway"))
        {
            SimFixtures.MarkReady(harness.Cluster, pod);
        }

        Assert.True(await harness.Cluster.WaitUntilAsync(c => c.Get<k8s.Models.V1Endpoints>("obs", "gateway-headless")?.Subsets?.SingleOrDefault()?.Addresses?.Count == 3, Wait, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Static_resolver_with_traceID_routing_sends_every_span_of_a_trace_to_one_backend()
    {
        // Given three static backends (one without a port)
        var harness = await ComponentHarness.StartAsync();
        await using var exporter = Create(harness, "resolver: {static: {hostnames: [gw-c:4317, gw-a:4317, gw-b]}}");
        await exporter.StartAsync(TestContext.Current.CancellationToken);

        // When 200 traces of 4 spans are exported in one batch
        await exporter.ConsumeAsync(Traces(200, 4), TestContext.Current.CancellationToken);

        // Then the ring is built from the sorted list, the port-less one gets :4317 for its exporter,
        // every trace is whole on exactly one backend, and each backend got a share
        Assert.Equal(["gw-a:4317", "gw-b", "gw-c:4317"], exporter.Backends);
        Assert.Equal(["gw-a:4317", "gw-b:4317", "gw-c:4317"], _backends.Keys.Order(StringComparer.Ordinal));
        var owners = _backends.SelectMany(b => b.Value.Spans.Select(s => (s.TraceId, b.Key))).GroupBy(x => x.TraceId).ToList();
        Assert.Equal(200, owners.Count);
        Assert.All(owners, g => Assert.Single(g.Select(x => x.Key).Distinct()));
        Assert.All(owners, g => Assert.Equal(4, g.Count()));
        Assert.All(_backends.Values, b => Assert.NotEmpty(b.Spans));
    }

    [Fact]
    public async Task Service_routing_keeps_each_service_on_one_backend()
    {
        var harness = await ComponentHarness.StartAsync();
        await using var exporter = Create(harness, "routing_key: service\nresolver: {static: {hostnames: [a:4317, b:4317, c:4317]}}");
        await exporter.StartAsync(TestContext.Current.CancellationToken);

        await exporter.ConsumeAsync(Traces(50, 2), TestContext.Current.CancellationToken);

        foreach (var service in new[] { "payments", "checkout" })
        {
            Assert.Single(_backends, b => b.Value.Spans.Any(s => s.ServiceName == service));
        }
    }

    [Fact]
    public async Task Dns_resolver_follows_a_headless_service_and_re_resolves_every_interval()
    {
        // Given three ready gateway pods behind a headless Service, and a dns resolver with a port
        var time = new ManualTimeProvider();
        var harness = await ComponentHarness.StartAsync(Gateways, time);
        await MarkGatewaysReadyAsync(harness);
        await using var exporter = Create(harness, "resolver: {dns: {hostname: gateway-headless.obs.svc.cluster.local, port: \"4317\"}}");
        await exporter.StartAsync(TestContext.Current.CancellationToken);
        var ips = SimFixtures.PodsOf(harness.Cluster, "obs", "app=gateway").Select(p => p.Status.PodIP + ":4317").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(ips, exporter.Backends);

        // When one gateway becomes unready and the 5s interval passes
        var first = SimFixtures.PodsOf(harness.Cluster, "obs", "app=gateway")[0];
        SimFixtures.MarkReady(harness.Cluster, first, ready: false);
        Assert.Equal(3, exporter.Backends.Count); // not before the next resolution
        time.Advance(TimeSpan.FromSeconds(5));

        // Then the ring holds the two remaining
        Assert.Equal(ips.Where(ip => ip != first.Status.PodIP + ":4317"), exporter.Backends);
        await exporter.ConsumeAsync(Traces(20, 1), TestContext.Current.CancellationToken);
        Assert.DoesNotContain(first.Status.PodIP + ":4317", _backends.Where(b => b.Value.Spans.Count > 0).Select(b => b.Key));
    }

    [Fact]
    public async Task K8s_resolver_watches_the_services_endpoints_as_the_pods_service_account()
    {
        var harness = await ComponentHarness.StartAsync(Gateways + "\n---\n" + EndpointsRbac);
        await MarkGatewaysReadyAsync(harness);
        await using var exporter = Create(harness, "resolver: {k8s: {service: gateway-headless.obs, ports: [4317, 55690]}}");

        await exporter.StartAsync(TestContext.Current.CancellationToken);

        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(exporter.Backends.Count == 6), Wait, TestContext.Current.CancellationToken));
        Assert.All(exporter.Backends, b => Assert.True(b.EndsWith(":4317", StringComparison.Ordinal) || b.EndsWith(":55690", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task K8s_resolver_without_rbac_logs_the_forbidden_error_and_unroutable_spans_are_counted_as_failed()
    {
        var harness = await ComponentHarness.StartAsync(Gateways);
        await using var exporter = Create(harness, "resolver: {k8s: {service: gateway-headless}}");
        await exporter.StartAsync(TestContext.Current.CancellationToken);
        const string Forbidden = "endpoints is forbidden: User \"system:serviceaccount:obs:otel\" cannot list resource \"endpoints\" in API group \"\" in the namespace \"obs\"";
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(harness.Container.Log.Lines().Any(l => l.Contains(Forbidden, StringComparison.Ordinal))), Wait, TestContext.Current.CancellationToken));

        await exporter.ConsumeAsync(Traces(3, 2), TestContext.Current.CancellationToken);

        Assert.Equal(6, exporter.FailedSpans);
        Assert.Contains(harness.Container.Log.Lines(), l => l.Contains("couldn't find the exporter for the endpoint \\\"\\\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("resolver: {}", "no resolvers specified for the exporter")]
    [InlineData("resolver: {static: {hostnames: [a]}, dns: {hostname: b}}", "only one resolver should be specified")]
    [InlineData("routing_key: attributes\nresolver: {static: {hostnames: [a]}}", "unsupported routing_key: attributes")]
    [InlineData("resolver: {dns: {port: \"4317\"}}", "no hostname specified to resolve the backends")]
    public async Task Invalid_settings_fail_the_start(string settings, string expected)
    {
        var harness = await ComponentHarness.StartAsync();

        var error = Assert.Throws<CollectorStartException>(() => Create(harness, settings));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
