using OtelLab.Sim.Collector.Runtime;
using OtelLab.Sim.Collector.Traces;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Collector.Runtime;

/// <summary>
/// Connectors in the service graph (upstream service/internal/graph): a connector is an exporter of the pipelines that
/// list it under exporters and a receiver of those that list it under receivers — the payments-fixed gateway's
/// <c>datadog/connector</c> turns its traces pipeline into the <c>metrics/datadog-stats</c> pipeline's input.
/// </summary>
[Trait("Category", "Component")]
public sealed class ConnectorGraphTests
{
    [Fact]
    public async Task A_connector_feeds_the_pipelines_that_receive_from_it_and_only_those()
    {
        // Given traces → [datadog/connector, nop] and metrics/stats ← [datadog/connector] → nop, on a manual clock
        var ct = TestContext.Current.CancellationToken;
        var time = new ManualTimeProvider();
        var capture = new CaptureExporterFactory();
        const string yaml = """
            receivers:
              otlp:
                protocols:
                  http: {endpoint: "0.0.0.0:4318"}
            connectors:
              datadog/connector: {}
            exporters:
              nop:
            service:
              telemetry:
                metrics: {level: none}
              pipelines:
                traces: {receivers: [otlp], exporters: [datadog/connector, nop]}
                metrics/stats: {receivers: [datadog/connector], exporters: [nop]}
            """;
        await using var collector = await CollectorInstance.StartAsync(yaml, CollectorInstance.CreateContext(CollectorTestKit.Address(61), time: time),
            new CollectorInstanceOptions { Catalog = CollectorTestKit.CatalogWith(capture) }, ct);

        // When a span enters the connector as the traces pipeline's exporter and its 10 s stats interval passes
        var connector = (ITraceConsumer)collector.Service.Find("datadog/connector", "traces")!;
        var span = new TraceSpan
        {
            TraceId = TraceId.ParseHex("0af7651916cd43dd8448eb211c80319c"),
            SpanId = 1,
            Name = "GET /checkout",
            Resource = TelemetryResource.ForService("checkout"),
            StartTimeUnixNano = 1,
            EndTimeUnixNano = 2_000_001,
        };
        await connector.ConsumeAsync([span], ct);
        Assert.Empty(capture.Points);
        time.Advance(TimeSpan.FromSeconds(10));

        // Then the metrics pipeline receiving from the connector gets the stats point (and no span reaches it as a span)
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(!capture.Points.IsEmpty), TimeSpan.FromSeconds(10), ct), "no stats point reached metrics/stats");
        Assert.All(capture.Points, p => Assert.Equal("dd.internal.stats.payload", p.Name));
        Assert.Empty(capture.Spans);
    }
}
