using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>upstream: internal/sampling policy.go TraceData — one trace held in memory.</summary>
internal sealed class TraceData(DateTimeOffset arrivalTime)
{
    public DateTimeOffset ArrivalTime { get; } = arrivalTime;

    public DateTimeOffset? DecisionTime { get; set; }

    /// <summary>Every span received for the trace (upstream also keeps counting after the decision).</summary>
    public long SpanCount { get; set; }

    /// <summary>ReceivedBatches: spans waiting for the decision; emptied when it is made.</summary>
    public List<TraceSpan> Spans { get; set; } = [];

    public SamplingDecision FinalDecision { get; set; }
}
