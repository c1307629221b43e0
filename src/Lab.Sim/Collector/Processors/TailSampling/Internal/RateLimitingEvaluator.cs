using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>
/// upstream: internal/sampling rate_limiting.go (token-bucket version) — a trace passes when the bucket holds its
/// span count; tokens refill at <c>spans_per_second</c> up to the burst (default twice the rate), so a trace larger
/// than the burst never passes. Upstream's predictive limiter (usetracestate feature gate, off by default) is not emulated.
/// </summary>
internal sealed class RateLimitingEvaluator(long spansPerSecond, long burstCapacity, TimeProvider clock) : IPolicyEvaluator
{
    private readonly TokenBucket _bucket = new(spansPerSecond, burstCapacity > 0 ? burstCapacity : spansPerSecond * 2, clock);

    public SamplingDecision Evaluate(TraceId traceId, IReadOnlyList<TraceSpan> spans) =>
        _bucket.AllowN(spans.Count) ? SamplingDecision.Sampled : SamplingDecision.NotSampled;
}
