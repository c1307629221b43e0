using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Otlp;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Tests.Sim.Collector.Otlp;

/// <summary>Points are grouped per resource, scope and metric (by position, not by the protobuf messages' structural hash).</summary>
[Trait("Category", "Unit")]
public sealed class OtlpConverterTests
{
    [Fact]
    public void Points_group_per_resource_scope_and_metric_in_first_seen_order()
    {
        // Given two targets' points (two resources) with two metrics, interleaved, and a second scope on one target
        var a = new TelemetryResource(new Dictionary<string, AttributeValue> { ["service.instance.id"] = "127.3.0.1:9100" });
        var b = new TelemetryResource(new Dictionary<string, AttributeValue> { ["service.instance.id"] = "127.3.0.2:9100" });
        MetricPoint[] points =
        [
            Point(a, "scope-1", "up", 1), Point(b, "scope-1", "up", 1), Point(a, "scope-1", "up", 0),
            Point(a, "scope-1", "requests", 5), Point(a, "scope-2", "up", 1), Point(b, "scope-1", "requests", 7),
        ];

        // When converted
        var request = OtlpConverter.FromPoints(points);

        // Then a holds scope-1 {up ×2, requests} and scope-2 {up}; b holds scope-1 {up, requests}
        Assert.Equal(2, request.ResourceMetrics.Count);
        var ra = request.ResourceMetrics[0];
        Assert.Equal(["scope-1", "scope-2"], ra.ScopeMetrics.Select(s => s.Scope.Name));
        Assert.Equal(["up", "requests"], ra.ScopeMetrics[0].Metrics.Select(m => m.Name));
        Assert.Equal(2, ra.ScopeMetrics[0].Metrics[0].Gauge.DataPoints.Count);
        Assert.Single(ra.ScopeMetrics[1].Metrics);
        var rb = request.ResourceMetrics[1];
        Assert.Equal(["up", "requests"], rb.ScopeMetrics.Single().Metrics.Select(m => m.Name));
        Assert.Equal(6, request.ResourceMetrics.Sum(r => r.ScopeMetrics.Sum(s => s.Metrics.Sum(m => m.Gauge.DataPoints.Count))));
    }

    [Fact]
    public void Spans_group_per_resource_and_scope()
    {
        var a = new TelemetryResource(new Dictionary<string, AttributeValue> { ["service.name"] = "checkout" });
        var b = new TelemetryResource(new Dictionary<string, AttributeValue> { ["service.name"] = "payments" });
        TraceSpan[] spans = [Span(a, "http"), Span(b, "http"), Span(a, "http"), Span(a, "jdbc")];

        var request = OtlpConverter.FromSpans(spans);

        Assert.Equal(2, request.ResourceSpans.Count);
        Assert.Equal(["http", "jdbc"], request.ResourceSpans[0].ScopeSpans.Select(s => s.Scope.Name));
        Assert.Equal(2, request.ResourceSpans[0].ScopeSpans[0].Spans.Count);
        Assert.Single(request.ResourceSpans[1].ScopeSpans.Single().Spans);
    }

    private static MetricPoint Point(TelemetryResource resource, string scope, string name, double value) =>
        new() { Name = name, Resource = resource, ScopeName = scope, Value = value, TimeUnixNano = 1 };

    private static TraceSpan Span(TelemetryResource resource, string scope) =>
        new() { Resource = resource, ScopeName = scope, Name = "GET", TraceId = new TraceId(1, 2), SpanId = 3 };
}
