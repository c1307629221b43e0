using OtelLab.Sim.Collector.Processors.TailSampling;
using OtelLab.Sim.Collector.Processors.TailSampling.Internal;
using OtelLab.Sim.Collector.Traces;
using static OtelLab.Tests.Sim.Collector.Processors.TailSampling.TestSpans;

namespace OtelLab.Tests.Sim.Collector.Processors.TailSampling;

[Trait("Category", "Unit")]
public sealed class PolicyEvaluatorTests
{
    private static readonly TraceId Trace = Id(1);

    [Fact]
    public void Status_code_samples_when_any_span_has_a_listed_code()
    {
        var errors = StatusCodeEvaluator.Create(["ERROR"]);
        Assert.Equal(SamplingDecision.Sampled, errors.Evaluate(Trace, [Span(Trace), Span(Trace, SpanStatusCode.Error)]));
        Assert.Equal(SamplingDecision.NotSampled, errors.Evaluate(Trace, [Span(Trace, SpanStatusCode.Ok), Span(Trace)]));
        Assert.Equal(SamplingDecision.Sampled, StatusCodeEvaluator.Create(["OK", "UNSET"]).Evaluate(Trace, [Span(Trace)]));
    }

    [Fact]
    public void Status_code_refuses_empty_and_unknown_codes_with_upstream_texts()
    {
        Assert.Equal("expected at least one status code to filter on", Assert.Throws<ArgumentException>(() => StatusCodeEvaluator.Create([])).Message);
        Assert.Equal("unknown status code \"error\", supported: OK, ERROR, UNSET", Assert.Throws<ArgumentException>(() => StatusCodeEvaluator.Create(["ERROR", "error"])).Message);
    }

    [Fact]
    public void Latency_without_upper_bound_uses_min_start_to_max_end_truncated_to_ms()
    {
        // Given two non-overlapping spans: 0..100 ms and 4900..4999.9 ms → window 4999.9 ms → 4999 ms when truncated
        var spans = new List<TraceSpan> { Span(Trace, startMs: 0, durationMs: 100), Span(Trace, startMs: 4900, durationMs: 99) };
        var last = spans[1] with { EndTimeUnixNano = spans[1].EndTimeUnixNano + 900_000 };
        spans[1] = last;

        // Then 4999 >= 4999 samples and 4999 >= 5000 does not
        Assert.Equal(SamplingDecision.Sampled, new LatencyEvaluator(4999, 0).Evaluate(Trace, spans));
        Assert.Equal(SamplingDecision.NotSampled, new LatencyEvaluator(5000, 0).Evaluate(Trace, spans));
    }

    [Fact]
    public void Latency_vectors_of_upstream_latency_test()
    {
        // TestEvaluate_Latency, threshold 5000 ms: 4500 ms no; exactly 5000 ms yes; two 3000 ms spans 2500 ms apart span 5500 ms
        var policy = new LatencyEvaluator(5000, 0);
        Assert.Equal(SamplingDecision.NotSampled, policy.Evaluate(Trace, [Span(Trace, durationMs: 4500)]));
        Assert.Equal(SamplingDecision.Sampled, policy.Evaluate(Trace, [Span(Trace, durationMs: 5000)]));
        Assert.Equal(SamplingDecision.Sampled, policy.Evaluate(Trace, [Span(Trace, durationMs: 3000), Span(Trace, startMs: 2500, durationMs: 3000)]));
    }

    [Fact]
    public void Latency_with_upper_bound_is_exclusive_below_inclusive_above_and_checks_each_running_window()
    {
        var policy = new LatencyEvaluator(100, 200);
        Assert.Equal(SamplingDecision.NotSampled, policy.Evaluate(Trace, [Span(Trace, durationMs: 100)]));
        Assert.Equal(SamplingDecision.Sampled, policy.Evaluate(Trace, [Span(Trace, durationMs: 200)]));
        Assert.Equal(SamplingDecision.NotSampled, policy.Evaluate(Trace, [Span(Trace, durationMs: 201)]));

        // upstream latency.go evaluates the window after each span: a 150 ms prefix samples a 500 ms trace
        Assert.Equal(SamplingDecision.Sampled, policy.Evaluate(Trace, [Span(Trace, durationMs: 150), Span(Trace, startMs: 0, durationMs: 500)]));
        Assert.Equal(SamplingDecision.NotSampled, policy.Evaluate(Trace, [Span(Trace, durationMs: 500), Span(Trace, startMs: 0, durationMs: 150)]));
    }

    [Fact]
    public void Latency_duration_saturates_and_truncates_toward_zero_like_go()
    {
        Assert.Equal(-1, LatencyEvaluator.DurationMilliseconds(1_000_000, 2_999_999));
        Assert.Equal(long.MaxValue / 1_000_000, LatencyEvaluator.DurationMilliseconds(long.MaxValue, unchecked((ulong)long.MinValue)));
    }

    [Fact]
    public void String_attribute_exact_match_checks_resource_and_span_attributes()
    {
        var policy = new StringAttributeEvaluator("http.route", ["/pay", ""], regexMatchEnabled: false, cacheMaxSize: 0, invertMatch: false);
        Assert.Equal(SamplingDecision.Sampled, policy.Evaluate(Trace, [Span(Trace, attributes: Attrs(("http.route", "/pay")))]));
        Assert.Equal(SamplingDecision.NotSampled, policy.Evaluate(Trace, [Span(Trace, attributes: Attrs(("http.route", "/pay/1")))]));
        var resource = new TelemetryResource(Attrs(("http.route", "/pay")));
        Assert.Equal(SamplingDecision.Sampled, policy.Evaluate(Trace, [Span(Trace, resource: resource)]));

        // An empty configured value is ignored (upstream skips "" when building the set)
        Assert.Equal(SamplingDecision.NotSampled, policy.Evaluate(Trace, [Span(Trace, resource: new TelemetryResource(Attrs(("http.route", ""))))]));
    }

    [Fact]
    public void String_attribute_regex_is_unanchored_and_reads_non_string_resource_values_as_empty()
    {
        var policy = new StringAttributeEvaluator("http.route", ["/v1/name/.+"], regexMatchEnabled: true, cacheMaxSize: 2, invertMatch: false);
        Assert.Equal(SamplingDecision.Sampled, policy.Evaluate(Trace, [Span(Trace, attributes: Attrs(("http.route", "/api/v1/name/7")))]));
        Assert.Equal(SamplingDecision.NotSampled, policy.Evaluate(Trace, [Span(Trace, attributes: Attrs(("http.route", "/v1/name/")))]));

        // pdata Str() of an int is "": a resource int attribute matches a pattern that accepts ""; a span one is skipped
        var anything = new StringAttributeEvaluator("code", [".*"], regexMatchEnabled: true, cacheMaxSize: 0, invertMatch: false);
        Assert.Equal(SamplingDecision.Sampled, anything.Evaluate(Trace, [Span(Trace, resource: new TelemetryResource(Attrs(("code", 5L))))]));
        Assert.Equal(SamplingDecision.NotSampled, anything.Evaluate(Trace, [Span(Trace, attributes: Attrs(("code", 5L)))]));
    }

    [Fact]
    public void String_attribute_invert_match_votes_invert_decisions()
    {
        var policy = new StringAttributeEvaluator("service.name", ["ledger"], regexMatchEnabled: false, cacheMaxSize: 0, invertMatch: true);
        Assert.Equal(SamplingDecision.InvertSampled, policy.Evaluate(Trace, [Span(Trace)]));
        Assert.Equal(SamplingDecision.InvertNotSampled, policy.Evaluate(Trace, [Span(Trace), Span(Trace, resource: TelemetryResource.ForService("ledger"))]));
    }

    [Fact]
    public void String_attribute_rejects_an_invalid_regex_like_mustcompile()
    {
        var ex = Assert.Throws<ArgumentException>(() => new StringAttributeEvaluator("k", ["(a"], true, 0, false));
        Assert.StartsWith("regexp: Compile(`(a`):", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Numeric_attribute_zero_bounds_mean_unbounded_and_non_ints_read_as_zero()
    {
        var atLeast500 = new NumericAttributeEvaluator("http.status_code", 500, 0, invertMatch: false);
        Assert.Equal(SamplingDecision.Sampled, atLeast500.Evaluate(Trace, [Span(Trace, attributes: Attrs(("http.status_code", 503L)))]));
        Assert.Equal(SamplingDecision.NotSampled, atLeast500.Evaluate(Trace, [Span(Trace, attributes: Attrs(("http.status_code", 404L)))]));

        // pdata Int() of a string is 0, so a range containing 0 matches a string attribute
        var upTo10 = new NumericAttributeEvaluator("retries", 0, 10, invertMatch: false);
        Assert.Equal(SamplingDecision.Sampled, upTo10.Evaluate(Trace, [Span(Trace, attributes: Attrs(("retries", "many")))]));
        Assert.Throws<ArgumentException>(() => new NumericAttributeEvaluator("k", 0, 0, false));
    }

    [Theory]
    // TestNumericTagFilter / TestNumericTagFilterInverted: key "example" in [MinInt32, MaxInt32]; the inverted votes
    // are the invert decisions (upstream's default, with the disableinvertdecisions gate off)
    [InlineData("non_matching", int.MinValue, SamplingDecision.NotSampled, SamplingDecision.InvertSampled)]
    [InlineData("example", int.MinValue, SamplingDecision.Sampled, SamplingDecision.InvertNotSampled)]
    [InlineData("example", int.MaxValue, SamplingDecision.Sampled, SamplingDecision.InvertNotSampled)]
    [InlineData("example", (long)int.MinValue - 1, SamplingDecision.NotSampled, SamplingDecision.InvertSampled)]
    [InlineData("example", (long)int.MaxValue + 1, SamplingDecision.NotSampled, SamplingDecision.InvertSampled)]
    public void Numeric_attribute_vectors_of_upstream_numeric_tag_filter_test(string key, long value, SamplingDecision plain, SamplingDecision inverted)
    {
        TraceSpan[] spans = [Span(Trace, attributes: Attrs((key, value)))];
        Assert.Equal(plain, new NumericAttributeEvaluator("example", int.MinValue, int.MaxValue, invertMatch: false).Evaluate(Trace, spans));
        Assert.Equal(inverted, new NumericAttributeEvaluator("example", int.MinValue, int.MaxValue, invertMatch: true).Evaluate(Trace, spans));
    }

    [Fact]
    public void Numeric_attribute_invert_match_vetoes_when_in_range()
    {
        var policy = new NumericAttributeEvaluator("http.status_code", 200, 299, invertMatch: true);
        Assert.Equal(SamplingDecision.InvertNotSampled, policy.Evaluate(Trace, [Span(Trace, attributes: Attrs(("http.status_code", 200L)))]));
        Assert.Equal(SamplingDecision.InvertSampled, policy.Evaluate(Trace, [Span(Trace, attributes: Attrs(("http.status_code", 500L)))]));
    }

    [Fact]
    public void And_and_drop_need_every_sub_policy()
    {
        IPolicyEvaluator[] subs = [StatusCodeEvaluator.Create(["ERROR"]), new StringAttributeEvaluator("service.name", ["ledger"], false, 0, invertMatch: true)];
        var and = AllOfEvaluator.And(subs);
        var drop = AllOfEvaluator.Drop(subs);
        TraceSpan[] errorInCheckout = [Span(Trace, SpanStatusCode.Error)];
        TraceSpan[] errorInLedger = [Span(Trace, SpanStatusCode.Error, resource: TelemetryResource.ForService("ledger"))];

        // InvertSampled counts as yes; InvertNotSampled as no
        Assert.Equal(SamplingDecision.Sampled, and.Evaluate(Trace, errorInCheckout));
        Assert.Equal(SamplingDecision.NotSampled, and.Evaluate(Trace, errorInLedger));
        Assert.Equal(SamplingDecision.Dropped, drop.Evaluate(Trace, errorInCheckout));
        Assert.Equal(SamplingDecision.NotSampled, drop.Evaluate(Trace, [Span(Trace)]));
    }

    [Fact]
    public void Probabilistic_keeps_ten_percent_of_random_trace_ids_within_four_sigma()
    {
        // Given 20,000 random trace ids (fixed seed) and a 10 % policy
        const int n = 20_000;
        const double p = 0.10;
        var random = new Random(42);
        var policy = new ProbabilisticEvaluator(string.Empty, 10);
        var kept = 0;
        for (var i = 0; i < n; i++)
        {
            var id = new TraceId((ulong)random.NextInt64(), (ulong)random.NextInt64());
            kept += policy.Evaluate(id, []) == SamplingDecision.Sampled ? 1 : 0;
        }

        // Then the count is binomial(n, p): mean 2000, σ = sqrt(n p (1-p)) ≈ 42.4; tolerance ±4σ ≈ ±170
        var sigma = Math.Sqrt(n * p * (1 - p));
        Assert.InRange(kept, (n * p) - (4 * sigma), (n * p) + (4 * sigma));
    }
}
