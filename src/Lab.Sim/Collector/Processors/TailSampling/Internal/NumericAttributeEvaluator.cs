using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>
/// upstream: internal/sampling numeric_tag_filter.go (pointer min/max version). processor.go passes a bound only
/// when it is non-zero, so <c>min_value: 0</c> means "no lower bound" (math.MinInt64). Values are read with
/// pdata <c>Int()</c>: a string or double attribute reads as 0. Resource and span attributes both count.
/// </summary>
internal sealed class NumericAttributeEvaluator : IPolicyEvaluator
{
    private readonly string _key;
    private readonly long _min;
    private readonly long _max;
    private readonly bool _invertMatch;

    public NumericAttributeEvaluator(string key, long minValue, long maxValue, bool invertMatch)
    {
        if (minValue == 0 && maxValue == 0)
        {
            // upstream logs "At least one of minValue or maxValue must be set" and returns a nil evaluator, which
            // then panics on the first trace. The lab refuses it at configuration time.
            throw new ArgumentException("At least one of minValue or maxValue must be set");
        }

        _key = key;
        _min = minValue == 0 ? long.MinValue : minValue;
        _max = maxValue == 0 ? long.MaxValue : maxValue;
        _invertMatch = invertMatch;
    }

    public SamplingDecision Evaluate(TraceId traceId, IReadOnlyList<TraceSpan> spans)
    {
        if (_invertMatch)
        {
            return SpanConditions.InvertHasResourceOrSpan(
                spans,
                resource => !InRange(resource.Attributes),
                span => !InRange(span.Attributes));
        }

        return SpanConditions.HasResourceOrSpan(spans, resource => InRange(resource.Attributes), span => InRange(span.Attributes));
    }

    private bool InRange(IReadOnlyDictionary<string, AttributeValue> attributes) =>
        attributes.TryGetValue(_key, out var v) && v.Int >= _min && v.Int <= _max;
}
