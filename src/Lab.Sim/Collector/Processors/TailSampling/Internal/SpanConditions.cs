using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>
/// upstream: internal/sampling util.go. Spans are visited in arrival order; a resource is checked each time the
/// span list moves to another <see cref="TelemetryResource"/> (upstream: once per ResourceSpans, before its spans).
/// </summary>
internal static class SpanConditions
{
    /// <summary>hasResourceOrSpanWithCondition: Sampled as soon as a resource or a span matches.</summary>
    public static SamplingDecision HasResourceOrSpan(
        IReadOnlyList<TraceSpan> spans, Func<TelemetryResource, bool> resourceMatches, Func<TraceSpan, bool> spanMatches)
    {
        TelemetryResource? current = null;
        foreach (var span in spans)
        {
            if (!ReferenceEquals(span.Resource, current))
            {
                current = span.Resource;
                if (resourceMatches(current))
                {
                    return SamplingDecision.Sampled;
                }
            }

            if (spanMatches(span))
            {
                return SamplingDecision.Sampled;
            }
        }

        return SamplingDecision.NotSampled;
    }

    /// <summary>
    /// invertHasResourceOrSpanWithCondition: InvertNotSampled as soon as a resource or span fails the
    /// "should sample" check, else InvertSampled.
    /// </summary>
    public static SamplingDecision InvertHasResourceOrSpan(
        IReadOnlyList<TraceSpan> spans, Func<TelemetryResource, bool> resourceShouldSample, Func<TraceSpan, bool> spanShouldSample) =>
        HasResourceOrSpan(spans, r => !resourceShouldSample(r), s => !spanShouldSample(s)) == SamplingDecision.Sampled
            ? SamplingDecision.InvertNotSampled
            : SamplingDecision.InvertSampled;

    /// <summary>hasSpanWithCondition: Sampled as soon as a span matches (resources are not looked at).</summary>
    public static SamplingDecision HasSpan(IReadOnlyList<TraceSpan> spans, Func<TraceSpan, bool> spanMatches)
    {
        foreach (var span in spans)
        {
            if (spanMatches(span))
            {
                return SamplingDecision.Sampled;
            }
        }

        return SamplingDecision.NotSampled;
    }
}
