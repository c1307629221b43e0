using OpenTelemetry.Proto.Collector.Trace.V1;
using OtelLab.Load.Simulations;

namespace OtelLab.Tests.Load.Simulations;

/// <summary>The otlp load target's payload: telemetrygen-like traces of five chained spans in one export request.</summary>
[Trait("Category", "Unit")]
public sealed class OtlpSpanBatchTests
{
    [Fact]
    public void A_batch_holds_the_asked_spans_in_traces_of_five_parented_in_a_chain_with_new_ids_each_call()
    {
        var random = new Random(3);

        var first = ExportTraceServiceRequest.Parser.ParseFrom(OtlpSpanBatch.Create(12, TimeProvider.System, random));
        var second = ExportTraceServiceRequest.Parser.ParseFrom(OtlpSpanBatch.Create(12, TimeProvider.System, random));

        var spans = first.ResourceSpans.Single().ScopeSpans.Single().Spans;
        Assert.Equal(12, spans.Count);
        Assert.Equal([5, 5, 2], spans.GroupBy(s => s.TraceId).Select(g => g.Count()));
        Assert.All(spans.GroupBy(s => s.TraceId), trace =>
        {
            var chain = trace.ToList();
            Assert.True(chain[0].ParentSpanId.IsEmpty);
            Assert.All(chain.Skip(1).Select((s, i) => (s, parent: chain[i])), p => Assert.Equal(p.parent.SpanId, p.s.ParentSpanId));
        });
        Assert.Equal("telemetrygen", first.ResourceSpans[0].Resource.Attributes.Single(a => a.Key == "service.name").Value.StringValue);
        Assert.Empty(spans.Select(s => s.TraceId).Intersect(second.ResourceSpans[0].ScopeSpans[0].Spans.Select(s => s.TraceId)));
    }
}
