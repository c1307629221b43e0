using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>
/// upstream: internal/sampling and.go and drop.go, which share this shape: NotSampled at the first sub-policy
/// voting NotSampled or InvertNotSampled; an erroring sub-policy makes the whole policy error; otherwise
/// <c>and</c> votes Sampled and <c>drop</c> votes Dropped (so InvertSampled counts as a yes).
/// </summary>
internal sealed class AllOfEvaluator(IReadOnlyList<IPolicyEvaluator> subPolicies, SamplingDecision whenAllSay) : IPolicyEvaluator
{
    public static AllOfEvaluator And(IReadOnlyList<IPolicyEvaluator> subPolicies) => new(subPolicies, SamplingDecision.Sampled);

    public static AllOfEvaluator Drop(IReadOnlyList<IPolicyEvaluator> subPolicies) => new(subPolicies, SamplingDecision.Dropped);

    public SamplingDecision Evaluate(TraceId traceId, IReadOnlyList<TraceSpan> spans)
    {
        foreach (var sub in subPolicies)
        {
            var decision = sub.Evaluate(traceId, spans);
            if (decision == SamplingDecision.Error)
            {
                return SamplingDecision.Error;
            }

            if (decision is SamplingDecision.NotSampled or SamplingDecision.InvertNotSampled)
            {
                return SamplingDecision.NotSampled;
            }
        }

        return whenAllSay;
    }
}
