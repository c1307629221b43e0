using OtelLab.Sim.Collector.Exporters.LoadBalancing.Internal;
using OtelLab.Sim.Collector.Runtime;
using OtelLab.Sim.Collector.Traces;
using OtelLab.Tests.Sim.Collector.Runtime;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Collector.Exporters.LoadBalancing;

/// <summary>
/// The loadbalancing exporter as main wires it (ComponentCatalog: per-endpoint <see cref="OtelLab.Sim.Collector.Exporters.LoadBalancing.OtlpBackendExporter"/>),
/// end to end over OTLP/gRPC into two real gateway collectors. upstream exporter/loadbalancingexporter
/// (trace_exporter.go / factory.go buildExporterConfig): the endpoint's exporter is the otlp exporter configured from
/// <c>protocol.otlp</c> with only <c>endpoint</c> replaced by the resolved backend; traceID routing on the ring
/// (collector.md "loadbalancing exporter").
/// </summary>
[Trait("Category", "Component")]
public sealed class OtlpBackendExporterTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static string Gateway => """
        receivers:
          otlp:
            protocols: {grpc: {endpoint: "0.0.0.0:4317", include_metadata: true}}
        exporters:
          nop: {}
        service:
          telemetry: {metrics: {level: none}}
          pipelines:
            traces: {receivers: [otlp], exporters: [nop]}
        """;

    private static string Agent(string otlp, params string[] backends) => $$$"""
        receivers:
          otlp:
            protocols: {grpc: {endpoint: "0.0.0.0:4317"}}
        exporters:
          loadbalancing:
            protocol:
              otlp:
        {{{string.Join('\n', otlp.Split('\n').Select(l => "          " + l))}}}
            resolver:
              static: {hostnames: [{{{string.Join(", ", backends)}}}]}
        service:
          telemetry: {metrics: {level: none}}
          pipelines:
            traces: {receivers: [otlp], exporters: [loadbalancing]}
        """;

    private static List<TraceSpan> Traces(int traces, int spansPerTrace, ulong seed) =>
        [.. Enumerable.Range(1, traces).SelectMany(t => Enumerable.Range(1, spansPerTrace).Select(s => new TraceSpan
        {
            TraceId = new TraceId(((ulong)t * 0x9E3779B97F4A7C15UL) ^ seed, (ulong)t),
            SpanId = (seed * 1000) + (ulong)((t * 10) + s),
            Name = "op",
            Resource = TelemetryResource.ForService("checkout"),
        }))];

    private sealed record Gateways(CollectorInstance[] Instances, CaptureExporterFactory[] Captures, string[] Endpoints) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var instance in Instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    private static async Task<Gateways> StartGatewaysAsync(params int[] hosts)
    {
        var captures = hosts.Select(_ => new CaptureExporterFactory()).ToArray();
        var instances = new CollectorInstance[hosts.Length];
        for (var i = 0; i < hosts.Length; i++)
        {
            var context = CollectorInstance.CreateContext(CollectorTestKit.Address(hosts[i]));
            instances[i] = await CollectorInstance.StartAsync(Gateway, context, new CollectorInstanceOptions { Catalog = CollectorTestKit.CatalogWith(captures[i]) }, TestContext.Current.CancellationToken);
        }

        return new Gateways(instances, captures, [.. hosts.Select(h => $"{CollectorTestKit.Address(h)}:4317")]);
    }

    private static async Task<(CollectorInstance Agent, ITraceConsumer Exporter)> StartAgentAsync(int host, string otlp, params string[] backends)
    {
        var agent = await CollectorInstance.StartAsync(Agent(otlp, backends), CollectorInstance.CreateContext(CollectorTestKit.Address(host)), TestContext.Current.CancellationToken);
        return (agent, (ITraceConsumer)agent.Service.Find("loadbalancing", "traces")!);
    }

    [Theory]
    [InlineData("gzip", 211)]
    [InlineData("none", 214)]
    public async Task The_endpoint_exporter_gets_protocol_otlp_headers_compression_tls_and_queue_with_the_endpoint_substituted(string compression, int host)
    {
        // Given two gateways and an agent whose protocol.otlp sets an endpoint of its own (ignored), headers,
        // compression, tls.insecure and a sending_queue
        var ct = TestContext.Current.CancellationToken;
        await using var gateways = await StartGatewaysAsync(host, host + 1);
        var (agent, exporter) = await StartAgentAsync(host + 2, $$"""
            endpoint: "127.0.9.254:9999"
            compression: {{compression}}
            headers: {x-scope-orgid: tenant-7}
            tls: {insecure: true}
            sending_queue: {queue_size: 7, num_consumers: 2}
            """, gateways.Endpoints);
        await using var _ = agent;

        // When traces are exported through the loadbalancing exporter
        await exporter.ConsumeAsync(Traces(40, 2, seed: 1), ct);

        // Then every span reaches a resolved backend (never protocol.otlp's endpoint), carrying the header and the
        // configured gRPC compression
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(gateways.Captures.Sum(c => c.Spans.Count) == 80), Wait, ct));
        var clients = gateways.Captures.SelectMany(c => c.Clients).ToList();
        Assert.All(clients, c => Assert.Equal("tenant-7", c!.Metadata["x-scope-orgid"]));
        Assert.All(clients, c => Assert.Equal(compression == "gzip" ? "gzip" : null, c!.Metadata.GetValueOrDefault("grpc-encoding")));

        // And each endpoint's exporter has protocol.otlp's queue (capacity 7), under an id naming the substituted endpoint
        foreach (var endpoint in gateways.Endpoints)
        {
            Assert.Equal(7, agent.Telemetry.Value("otelcol_exporter_queue_capacity", ("data_type", "traces"), ("exporter", $"otlp/{endpoint}")));
        }
    }

    [Fact]
    public async Task Without_tls_insecure_the_endpoint_exporter_dials_TLS_to_the_substituted_endpoint_and_delivers_nothing()
    {
        // Given one gateway and protocol.otlp without tls.insecure (configgrpc: TLS on by default), retries off
        var ct = TestContext.Current.CancellationToken;
        await using var gateways = await StartGatewaysAsync(217);
        var (agent, exporter) = await StartAgentAsync(218, "retry_on_failure: {enabled: false}", gateways.Endpoints);
        await using var _ = agent;

        // When a trace is exported
        await exporter.ConsumeAsync(Traces(1, 3, seed: 2), ct);

        // Then the handshake fails against the resolved endpoint and the spans are counted as failed, none delivered
        Assert.True(await Eventually.WaitAsync(
            () => Task.FromResult(agent.Log.Lines().Any(l => l.Contains("authentication handshake failed", StringComparison.Ordinal) && l.Contains(gateways.Endpoints[0], StringComparison.Ordinal))),
            Wait, ct));
        Assert.True(await Eventually.WaitAsync(
            () => Task.FromResult(agent.Telemetry.Value("otelcol_exporter_send_failed_spans", ("exporter", $"otlp/{gateways.Endpoints[0]}")) == 3),
            Wait, ct));
        Assert.Empty(gateways.Captures[0].Spans);
    }

    [Fact]
    public async Task Spans_of_one_trace_id_always_reach_the_ring_endpoint_of_that_id_across_batches()
    {
        // Given three gateways behind a static resolver
        var ct = TestContext.Current.CancellationToken;
        await using var gateways = await StartGatewaysAsync(221, 222, 223);
        var (agent, exporter) = await StartAgentAsync(224, "tls: {insecure: true}", gateways.Endpoints);
        await using var _ = agent;

        // When 300 traces are exported as two batches holding different spans of the same trace ids
        var first = Traces(300, 2, seed: 3);
        var second = first.Select(s => s with { SpanId = s.SpanId + 1_000_000 }).ToList();
        await exporter.ConsumeAsync(first, ct);
        await exporter.ConsumeAsync(second, ct);
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(gateways.Captures.Sum(c => c.Spans.Count) == 1200), Wait, ct));

        // Then every trace id is whole on exactly the gateway the ring (crc32 over the 16 id bytes, 36000 positions,
        // 100 points per endpoint) maps it to, and every gateway got a share: 300 ids over 3 endpoints, each share far
        // from zero (a ring point set this size gives each endpoint roughly a third; an empty share is a routing bug)
        var ring = new HashRing(gateways.Endpoints);
        var expected = new byte[TraceId.Size];
        for (var g = 0; g < gateways.Captures.Length; g++)
        {
            foreach (var group in gateways.Captures[g].Spans.GroupBy(s => s.TraceId))
            {
                group.Key.WriteBytes(expected);
                Assert.Equal(ring.EndpointFor(expected), gateways.Endpoints[g]);
                Assert.Equal(4, group.Count());
            }
        }

        Assert.Equal(300, gateways.Captures.SelectMany(c => c.Spans.Select(s => s.TraceId)).Distinct().Count());
        Assert.All(gateways.Captures, c => Assert.InRange(c.Spans.Select(s => s.TraceId).Distinct().Count(), 30, 270));
    }
}
