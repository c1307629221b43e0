using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>One decided trace as the lab's <see cref="ITraceDecisionObserver"/> sees it (lab instrumentation).</summary>
/// <param name="TraceId">The trace.</param>
/// <param name="Final">Sampled, NotSampled or Dropped.</param>
/// <param name="Spans">The buffered spans the policies were evaluated on (read-only; also handed downstream when sampled).</param>
public sealed record TraceDecisionRecord(TraceId TraceId, SamplingDecision Final, IReadOnlyList<TraceSpan> Spans);
