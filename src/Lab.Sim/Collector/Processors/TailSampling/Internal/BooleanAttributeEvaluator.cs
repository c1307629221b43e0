using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>
/// upstream: internal/sampling boolean_tag_filter.go — resource or span attribute read with pdata <c>Bool()</c> (a
/// non-bool value reads as false). With <c>invert_match</c> a missing key counts as "should sample".
/// </summary>
internal sealed class BooleanAttributeEvaluator(string key, bool value, bool invertMatch) : IPolicyEvaluator
{
    public SamplingDecision Evaluate(TraceId traceId, IReadOnlyList<TraceSpan> spans)
    {
        if (invertMatch)
        {
            return SpanConditions.InvertHasResourceOrSpan(
                spans,
                resource => !resource.Attributes.TryGetValue(key, out var v) || v.Bool != value,
                span => !span.Attributes.TryGetValue(key, out var v) || v.Bool != value);
        }

        return SpanConditions.HasResourceOrSpan(
            spans,
            resource => resource.Attributes.TryGetValue(key, out var v) && v.Bool == value,
            span => span.Attributes.TryGetValue(key, out var v) && v.Bool == value);
    }
}
