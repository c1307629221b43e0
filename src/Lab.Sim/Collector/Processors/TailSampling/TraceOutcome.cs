namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>Where a trace's spans went, for the lab's conservation accounting (received = Σ outcomes + pending).</summary>
public enum TraceOutcome
{
    /// <summary>Sampled: forwarded to the next consumer.</summary>
    Kept,

    /// <summary>Decided NotSampled: discarded by design.</summary>
    SampledOut,

    /// <summary>A drop policy matched: discarded by design.</summary>
    DroppedByPolicy,

    /// <summary>Evicted by <c>num_traces</c> before its decision: lost.</summary>
    DroppedTooEarly,
}
