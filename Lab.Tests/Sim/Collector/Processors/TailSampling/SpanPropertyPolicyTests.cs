using OtelLab.Sim.Collector.Processors.TailSampling;
using OtelLab.Sim.Collector.Processors.TailSampling.Internal;
using OtelLab.Sim.Collector.Traces;
using static OtelLab.Tests.Sim.Collector.Processors.TailSampling.TestSpans;

namespace OtelLab.Tests.Sim.Collector.Processors.TailSampling;

/// <summary>boolean_attribute, span_count, trace_state, trace_flags and not, on vectors of upstream's unit tests.</summary>
[Trait("Category", "Unit")]
public sealed class SpanPropertyPolicyTests
{
    private static readonly TraceId Trace = Id(2);

    private static TraceSpan[] WithBool(string key, bool value) => [Span(Trace, attributes: Attrs((key, value)))];

    [Fact]
    public void Boolean_attribute_vectors_of_upstream_boolean_tag_filter_test()
    {
        // TestBooleanTagFilter: key "example", value true
        var filter = new BooleanAttributeEvaluator("example", true, invertMatch: false);
        Assert.Equal(SamplingDecision.NotSampled, filter.Evaluate(Trace, WithBool("non_matching", true)));
        Assert.Equal(SamplingDecision.NotSampled, filter.Evaluate(Trace, WithBool("example", false)));
        Assert.Equal(SamplingDecision.Sampled, filter.Evaluate(Trace, WithBool("example", true)));

        // TestBooleanTagFilterInverted (invert decisions enabled, upstream's default)
        var inverted = new BooleanAttributeEvaluator("example", true, invertMatch: true);
        Assert.Equal(SamplingDecision.InvertSampled, inverted.Evaluate(Trace, WithBool("non_matching", true)));
        Assert.Equal(SamplingDecision.InvertSampled, inverted.Evaluate(Trace, WithBool("example", false)));
        Assert.Equal(SamplingDecision.InvertNotSampled, inverted.Evaluate(Trace, WithBool("example", true)));
    }

    [Fact]
    public void Boolean_attribute_reads_resource_attributes_and_non_bools_as_false()
    {
        var wantFalse = new BooleanAttributeEvaluator("cached", false, invertMatch: false);
        var resource = new TelemetryResource(Attrs(("cached", "yes")));
        Assert.Equal(SamplingDecision.Sampled, wantFalse.Evaluate(Trace, [Span(Trace, resource: resource)]));
    }

    [Theory]
    // TestEvaluate_OnlyMinSpans (min 3)
    [InlineData(3, 0, 1, SamplingDecision.NotSampled)]
    [InlineData(3, 0, 3, SamplingDecision.Sampled)]
    [InlineData(3, 0, 4, SamplingDecision.Sampled)]
    [InlineData(3, 0, 6, SamplingDecision.Sampled)]
    // TestEvaluate_OnlyMaxSpans (max 20)
    [InlineData(0, 20, 21, SamplingDecision.NotSampled)]
    [InlineData(0, 20, 20, SamplingDecision.Sampled)]
    [InlineData(0, 20, 19, SamplingDecision.Sampled)]
    // TestEvaluate_RangeOfSpans (3..20)
    [InlineData(3, 20, 1, SamplingDecision.NotSampled)]
    [InlineData(3, 20, 2, SamplingDecision.NotSampled)]
    [InlineData(3, 20, 3, SamplingDecision.Sampled)]
    [InlineData(3, 20, 20, SamplingDecision.Sampled)]
    [InlineData(3, 20, 21, SamplingDecision.NotSampled)]
    public void Span_count_vectors_of_upstream_span_count_sampler_test(int min, int max, int spans, SamplingDecision expected)
    {
        var policy = new SpanCountEvaluator(min, max);
        Assert.Equal(expected, policy.Evaluate(Trace, [.. Enumerable.Range(0, spans).Select(_ => Span(Trace))]));
    }

    [Theory]
    // TestTraceStateFilter cases
    [InlineData("non_matching=value", "example", "value", SamplingDecision.NotSampled)]
    [InlineData("example=non_matching", "example", "value", SamplingDecision.NotSampled)]
    [InlineData("example=value", "example", "value", SamplingDecision.Sampled)]
    [InlineData("example=value", "example", "", SamplingDecision.NotSampled)]
    [InlineData("example=non_matching,non_matching=value", "example", "value", SamplingDecision.NotSampled)]
    [InlineData("example=value,non_matching=value", "example", "value", SamplingDecision.Sampled)]
    [InlineData("example=non_matching", "example", "value1,value2", SamplingDecision.NotSampled)]
    [InlineData("example=value1", "example", "value1,value2", SamplingDecision.Sampled)]
    // go.opentelemetry.io/otel ParseTraceState: blanks around members, empty members, and invalid headers
    [InlineData(" example=value1 ,,", "example", "value1", SamplingDecision.Sampled)]
    [InlineData("example=value1,Bad=x", "example", "value1", SamplingDecision.NotSampled)]
    [InlineData("example=value1,example=value2", "example", "value1", SamplingDecision.NotSampled)]
    [InlineData("tenant@vendor=value1", "tenant@vendor", "value1", SamplingDecision.Sampled)]
    public void Trace_state_vectors_of_upstream_trace_state_filter_test(string traceState, string key, string values, SamplingDecision expected)
    {
        var policy = new TraceStateEvaluator(key, values.Length == 0 ? [] : values.Split(','));
        Assert.Equal(expected, policy.Evaluate(Trace, [Span(Trace) with { TraceState = traceState }]));
    }

    [Fact]
    public void Trace_state_drops_configured_values_that_could_not_fit_a_member()
    {
        var longValue = new string('v', 250);
        var policy = new TraceStateEvaluator("key123", [longValue]); // 6 + 250 >= 256
        Assert.Equal(SamplingDecision.NotSampled, policy.Evaluate(Trace, [Span(Trace) with { TraceState = "key123=" + longValue }]));
    }

    [Fact]
    public void Trace_flags_samples_when_any_span_has_the_sampled_bit()
    {
        var policy = new TraceFlagsEvaluator();
        Assert.Equal(SamplingDecision.NotSampled, policy.Evaluate(Trace, [Span(Trace) with { Flags = 0x100 }]));
        Assert.Equal(SamplingDecision.Sampled, policy.Evaluate(Trace, [Span(Trace), Span(Trace) with { Flags = 0x301 }]));
    }

    [Fact]
    public void Not_swaps_sampled_and_not_sampled_and_passes_other_votes_through()
    {
        var errors = StatusCodeEvaluator.Create(["ERROR"]);
        Assert.Equal(SamplingDecision.NotSampled, new NotEvaluator(errors).Evaluate(Trace, [Span(Trace, SpanStatusCode.Error)]));
        Assert.Equal(SamplingDecision.Sampled, new NotEvaluator(errors).Evaluate(Trace, [Span(Trace)]));
        var inverted = new BooleanAttributeEvaluator("k", true, invertMatch: true);
        Assert.Equal(SamplingDecision.InvertSampled, new NotEvaluator(inverted).Evaluate(Trace, [Span(Trace)]));
    }
}
