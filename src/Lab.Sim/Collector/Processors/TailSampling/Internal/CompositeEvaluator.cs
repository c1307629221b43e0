using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>
/// upstream: internal/sampling composite.go and composite_helper.go.
/// <list type="bullet">
/// <item>Sub-policies are tried in <c>composite_sub_policy</c> order; the first voting Sampled (or InvertSampled)
/// decides: Sampled if its own counter plus the trace's spans stays within its allocation and within
/// <c>max_total_spans_per_second</c> (compared with that one counter, not a sum), else NotSampled — later
/// sub-policies are not tried.</item>
/// <item>Allocation: <c>percent</c> of the total, a percent ≤ 0 an equal share, a sub-policy missing from
/// <c>rate_allocation</c> 0 spans/s (it can then sample nothing), truncated to whole spans.</item>
/// <item>Counters reset when the Unix second of the lab clock changes.</item>
/// <item>A sub-policy error makes the whole policy error.</item>
/// </list>
/// </summary>
internal sealed class CompositeEvaluator : IPolicyEvaluator
{
    private readonly (IPolicyEvaluator Evaluator, long Allocated)[] _subPolicies;
    private readonly long[] _sampledThisSecond;
    private readonly long _maxTotalSpansPerSecond;
    private readonly TimeProvider _clock;
    private long _currentSecond;

    public CompositeEvaluator(long maxTotalSpansPerSecond, IReadOnlyList<(IPolicyEvaluator Evaluator, long Allocated)> subPolicies, TimeProvider clock)
    {
        _maxTotalSpansPerSecond = maxTotalSpansPerSecond;
        _subPolicies = [.. subPolicies];
        _sampledThisSecond = new long[_subPolicies.Length];
        _clock = clock;
    }

    public SamplingDecision Evaluate(TraceId traceId, IReadOnlyList<TraceSpan> spans)
    {
        var second = _clock.GetUtcNow().ToUnixTimeSeconds();
        if (second != _currentSecond)
        {
            _currentSecond = second;
            Array.Clear(_sampledThisSecond);
        }

        for (var i = 0; i < _subPolicies.Length; i++)
        {
            var decision = _subPolicies[i].Evaluator.Evaluate(traceId, spans);
            if (decision == SamplingDecision.Error)
            {
                return SamplingDecision.Error;
            }

            if (decision is SamplingDecision.Sampled or SamplingDecision.InvertSampled)
            {
                var ifSampled = _sampledThisSecond[i] + spans.Count;
                if (ifSampled <= _subPolicies[i].Allocated && ifSampled <= _maxTotalSpansPerSecond)
                {
                    _sampledThisSecond[i] = ifSampled;
                    return SamplingDecision.Sampled;
                }

                return SamplingDecision.NotSampled;
            }
        }

        return SamplingDecision.NotSampled;
    }
}
