using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>
/// upstream: internal/sampling PolicyEvaluator. An evaluation error is returned as <see cref="SamplingDecision.Error"/>
/// rather than thrown: the data path never throws.
/// </summary>
internal interface IPolicyEvaluator
{
    SamplingDecision Evaluate(TraceId traceId, IReadOnlyList<TraceSpan> spans);
}
