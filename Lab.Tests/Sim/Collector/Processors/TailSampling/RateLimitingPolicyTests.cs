using OtelLab.Sim.Collector.Processors.TailSampling;
using OtelLab.Sim.Collector.Processors.TailSampling.Internal;
using OtelLab.Sim.Collector.Traces;
using OtelLab.Tests.Support;
using static OtelLab.Tests.Sim.Collector.Processors.TailSampling.TestSpans;

namespace OtelLab.Tests.Sim.Collector.Processors.TailSampling;

/// <summary>rate_limiting and bytes_limiting: token buckets on a manual clock.</summary>
[Trait("Category", "Unit")]
public sealed class RateLimitingPolicyTests
{
    private static readonly TraceId Trace = Id(1);

    private static TraceSpan[] Spans(int n) => [.. Enumerable.Range(0, n).Select(_ => Span(Trace))];

    [Fact]
    public void Rate_limiting_vectors_of_upstream_rate_limiting_test()
    {
        var clock = new ManualTimeProvider();

        // TestRateLimiterTokenBucket: rate 3, burst 3 — a 3-span trace takes the whole burst, a 1-span one then fails.
        var bucket = new RateLimitingEvaluator(3, 3, clock);
        Assert.Equal(SamplingDecision.Sampled, bucket.Evaluate(Trace, Spans(3)));
        Assert.Equal(SamplingDecision.NotSampled, bucket.Evaluate(Trace, Spans(1)));

        // TestRateLimiterBurstCapacityRejectsLargeTrace: rate 3, burst 2 — a 3-span trace never fits.
        Assert.Equal(SamplingDecision.NotSampled, new RateLimitingEvaluator(3, 2, clock).Evaluate(Trace, Spans(3)));

        // TestRateLimiterDefaultConstructorBurst: rate 2, burst defaults to 4 — four 1-span traces, not a fifth.
        var byDefault = new RateLimitingEvaluator(2, 0, clock);
        Assert.All(Enumerable.Range(0, 4), _ => Assert.Equal(SamplingDecision.Sampled, byDefault.Evaluate(Trace, Spans(1))));
        Assert.Equal(SamplingDecision.NotSampled, byDefault.Evaluate(Trace, Spans(1)));
    }

    [Fact]
    public void Rate_limiting_refills_at_the_rate_on_the_lab_clock()
    {
        // TestRateLimiterTokenRefill (rate 4, burst 2, 2-span traces), with the manual clock instead of a 600 ms sleep.
        var clock = new ManualTimeProvider();
        var policy = new RateLimitingEvaluator(4, 2, clock);
        Assert.Equal(SamplingDecision.Sampled, policy.Evaluate(Trace, Spans(2)));
        Assert.Equal(SamplingDecision.NotSampled, policy.Evaluate(Trace, Spans(2)));

        // 499 ms refill 1.996 tokens: still short; at 500 ms exactly 2
        clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal(SamplingDecision.NotSampled, policy.Evaluate(Trace, Spans(2)));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(SamplingDecision.Sampled, policy.Evaluate(Trace, Spans(2)));

        // A long pause refills only up to the burst
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(SamplingDecision.Sampled, policy.Evaluate(Trace, Spans(2)));
        Assert.Equal(SamplingDecision.NotSampled, policy.Evaluate(Trace, Spans(1)));
    }

    [Fact]
    public void A_refused_trace_spends_no_tokens_and_a_zero_rate_spends_the_burst_once()
    {
        var clock = new ManualTimeProvider();
        var policy = new RateLimitingEvaluator(10, 10, clock);
        Assert.Equal(SamplingDecision.NotSampled, policy.Evaluate(Trace, Spans(11)));
        Assert.Equal(SamplingDecision.Sampled, policy.Evaluate(Trace, Spans(10)));

        // x/time/rate: limit 0 never refills; burst_capacity set explicitly is the whole allowance
        var zero = new RateLimitingEvaluator(0, 3, clock);
        Assert.Equal(SamplingDecision.Sampled, zero.Evaluate(Trace, Spans(3)));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(SamplingDecision.NotSampled, zero.Evaluate(Trace, Spans(1)));
    }

    [Fact]
    public void Bytes_limiting_vectors_of_upstream_bytes_limiting_test()
    {
        // newTraceBytesFilter's trace: two resource attributes, a scope, one span with attributes and an event.
        var trace = BytesTestTrace();
        long size = BytesLimitingEvaluator.TraceSize(trace);
        Assert.InRange(size, 100, 1_000);
        var clock = new ManualTimeProvider();

        // TestBytesLimitingTokenBucket cases: (rate, burst, traces) → decisions
        Assert.Equal([SamplingDecision.Sampled], Run(size / 2, size * 2, 1));
        Assert.Equal([SamplingDecision.Sampled], Run(size / 2, size, 1));
        Assert.Equal([SamplingDecision.NotSampled], Run(size, size - 1, 1));
        Assert.Equal([SamplingDecision.Sampled, SamplingDecision.Sampled], Run(size, size * 3, 2));
        Assert.Equal([SamplingDecision.Sampled, SamplingDecision.NotSampled], Run(size / 2, size + 1, 2));

        // TestBytesLimitingDefaultConstructor: burst defaults to twice the rate
        Assert.Equal([SamplingDecision.Sampled, SamplingDecision.Sampled, SamplingDecision.NotSampled], Run(size, 0, 3));

        // TestBytesLimitingTokenRefill: rate 2 traces/s, burst 1 trace; after half a second one trace fits again
        var refill = new BytesLimitingEvaluator(size * 2, size, clock);
        Assert.Equal(SamplingDecision.Sampled, refill.Evaluate(Trace, trace));
        Assert.Equal(SamplingDecision.NotSampled, refill.Evaluate(Trace, trace));
        clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(SamplingDecision.Sampled, refill.Evaluate(Trace, trace));

        SamplingDecision[] Run(long rate, long burst, int traces)
        {
            var policy = new BytesLimitingEvaluator(rate, burst, clock);
            return [.. Enumerable.Range(0, traces).Select(_ => policy.Evaluate(Trace, trace))];
        }
    }

    [Fact]
    public void Bytes_limiting_counts_the_otlp_protobuf_size_of_the_trace()
    {
        // One span with only ids and a 3-byte name, under an empty resource and scope. pdata always encodes the
        // non-nullable status, resource and scope messages, even empty (2 bytes each):
        // span = trace_id (2+16) + span_id (2+8) + name (2+3) + status (2) = 35; scope_spans = scope (2) + spans (2+35) = 39;
        // resource_spans = resource (2) + scope_spans (2+39) = 43; request = 2+43 = 45 bytes.
        var span = new TraceSpan { TraceId = Trace, SpanId = 1, Name = "pay", Resource = TelemetryResource.Empty };
        Assert.Equal(45, BytesLimitingEvaluator.TraceSize([span]));
    }

    private static TraceSpan[] BytesTestTrace()
    {
        var resource = new TelemetryResource(Attrs(("service.name", "test-service"), ("service.version", "1.0.0")));
        var span = Span(Trace, resource: resource, durationMs: 100, attributes: Attrs(
            ("http.method", "GET"), ("http.url", "http://example.com/test"), ("http.status_code", 200L))) with
        {
            Name = "test-span",
            Kind = SpanKind.Server,
            ScopeName = "test-scope",
            ScopeVersion = "1.0.0",
            Events = [new SpanEvent("test-event", Epoch, Attrs(("event.attr", "value")))],
        };
        return [span];
    }
}
