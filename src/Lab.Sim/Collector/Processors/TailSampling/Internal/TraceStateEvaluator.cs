using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>
/// upstream: internal/sampling trace_state_filter.go — Sampled if any span's <c>tracestate</c> parses and holds
/// <c>key</c> with one of <c>values</c>. Values that are empty, or whose <c>key=value</c> would pass 255 characters,
/// are dropped when the policy is built, so they never match.
/// </summary>
internal sealed class TraceStateEvaluator : IPolicyEvaluator
{
    private readonly string _key;
    private readonly HashSet<string> _values;

    public TraceStateEvaluator(string key, IReadOnlyList<string> values)
    {
        _key = key;
        _values = [.. values.Where(v => v.Length > 0 && key.Length + v.Length < 256)];
    }

    public SamplingDecision Evaluate(TraceId traceId, IReadOnlyList<TraceSpan> spans) =>
        SpanConditions.HasSpan(spans, span => W3CTraceState.TryGet(span.TraceState, _key, out var value) && _values.Contains(value));
}
