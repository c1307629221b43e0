using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>upstream: internal/sampling always_sample.go — every trace is Sampled.</summary>
internal sealed class AlwaysSampleEvaluator : IPolicyEvaluator
{
    public SamplingDecision Evaluate(TraceId traceId, IReadOnlyList<TraceSpan> spans) => SamplingDecision.Sampled;
}
