using OtelLab.Backends.Datadog.Protocol;
using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Connectors.Datadog;
using OtelLab.Sim.Collector.Traces;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Collector.Connectors.Datadog;

[Trait("Category", "Component")]
public sealed class DatadogConnectorTests
{
    private static TraceSpan Span(ulong id, ulong parent, string service, string name, long ms, bool error = false, long status = 200) => new()
    {
        TraceId = new TraceId(7, 7),
        SpanId = id,
        ParentSpanId = parent,
        Name = name,
        Status = error ? SpanStatusCode.Error : SpanStatusCode.Unset,
        StartTimeUnixNano = 1_700_000_000_000_000_000,
        EndTimeUnixNano = 1_700_000_000_000_000_000 + (ulong)(ms * 1_000_000),
        Resource = TelemetryResource.ForService(service),
        Attributes = new Dictionary<string, AttributeValue> { ["http.response.status_code"] = status },
    };

    [Fact]
    public async Task Traces_pass_through_and_every_10s_the_stats_payload_counts_hits_errors_duration_and_top_level_per_service_and_resource()
    {
        // Given a connector on a manual clock
        var time = new ManualTimeProvider();
        var harness = await ComponentHarness.StartAsync(time: time);
        await using var connector = (DatadogConnector)new DatadogConnectorFactory().Create(harness.Context("datadog/connector", ComponentKind.Connector, "{}"));
        await connector.StartAsync(TestContext.Current.CancellationToken);

        // When checkout calls payments twice (one error) in one trace
        List<TraceSpan> spans =
        [
            Span(1, 0, "checkout", "POST /checkout", 300),
            Span(2, 1, "payments", "POST /pay", 100),
            Span(3, 1, "payments", "POST /pay", 50, error: true, status: 500),
            Span(4, 2, "payments", "db.query", 20),
        ];
        await connector.ConsumeAsync(spans, TestContext.Current.CancellationToken);
        Assert.Empty(harness.Next.Points); // nothing before the flush interval
        time.Advance(TimeSpan.FromSeconds(10));

        // Then the traces went on unchanged and one dd.internal.stats.payload point carries the stats
        Assert.Equal(spans, harness.Next.Spans);
        var point = Assert.Single(harness.Next.Points);
        Assert.Equal("dd.internal.stats.payload", point.Name);
        var payload = StatsPayload.Parser.ParseFrom(point.Attributes["dd.internal.stats.payload"].Bytes.ToArray());
        var bucket = Assert.Single(Assert.Single(payload.Stats).Stats);
        Assert.Equal(10_000_000_000UL, bucket.Duration);
        var pay200 = Assert.Single(bucket.Stats, g => g.Service == "payments" && g.Resource == "POST /pay" && g.HTTPStatusCode == 200);
        var pay500 = Assert.Single(bucket.Stats, g => g.Service == "payments" && g.Resource == "POST /pay" && g.HTTPStatusCode == 500);
        Assert.Equal((1UL, 0UL, 100_000_000UL, 1UL), (pay200.Hits, pay200.Errors, pay200.Duration, pay200.TopLevelHits));
        Assert.Equal((1UL, 1UL, 50_000_000UL, 1UL), (pay500.Hits, pay500.Errors, pay500.Duration, pay500.TopLevelHits));
        var db = Assert.Single(bucket.Stats, g => g.Resource == "db.query");
        Assert.Equal(0UL, db.TopLevelHits); // its parent is in the same service
        Assert.Equal(1UL, Assert.Single(bucket.Stats, g => g.Service == "checkout").TopLevelHits);

        // And an idle interval emits nothing
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Single(harness.Next.Points);
    }
}
