using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>
/// upstream: internal/sampling not.go — swaps Sampled and NotSampled; every other vote (the invert ones, Error)
/// passes through unchanged.
/// </summary>
internal sealed class NotEvaluator(IPolicyEvaluator subPolicy) : IPolicyEvaluator
{
    public SamplingDecision Evaluate(TraceId traceId, IReadOnlyList<TraceSpan> spans) => subPolicy.Evaluate(traceId, spans) switch
    {
        SamplingDecision.Sampled => SamplingDecision.NotSampled,
        SamplingDecision.NotSampled => SamplingDecision.Sampled,
        var other => other,
    };
}
