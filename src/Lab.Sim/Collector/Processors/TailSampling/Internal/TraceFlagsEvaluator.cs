using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>upstream: internal/sampling trace_flags.go — Sampled if any span carries the W3C sampled flag (bit 0 of <c>flags</c>).</summary>
internal sealed class TraceFlagsEvaluator : IPolicyEvaluator
{
    public SamplingDecision Evaluate(TraceId traceId, IReadOnlyList<TraceSpan> spans) =>
        SpanConditions.HasSpan(spans, span => (span.Flags & 0x01) != 0);
}
