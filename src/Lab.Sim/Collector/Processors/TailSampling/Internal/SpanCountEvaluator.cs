using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>
/// upstream: internal/sampling span_count_sampler.go — the trace's span count against <c>min_spans</c> and, unless it
/// is 0, <c>max_spans</c> (both inclusive).
/// </summary>
internal sealed class SpanCountEvaluator(int minSpans, int maxSpans) : IPolicyEvaluator
{
    public SamplingDecision Evaluate(TraceId traceId, IReadOnlyList<TraceSpan> spans)
    {
        var count = spans.Count;
        var sampled = (maxSpans == 0 && count >= minSpans) || (count >= minSpans && count <= maxSpans);
        return sampled ? SamplingDecision.Sampled : SamplingDecision.NotSampled;
    }
}
