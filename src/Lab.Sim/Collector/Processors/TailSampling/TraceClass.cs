namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>The lab's classes of traces for keep rates (lab instrumentation): a trace is in the first class that fits.</summary>
public enum TraceClass
{
    /// <summary>At least one span with status ERROR.</summary>
    Error,

    /// <summary>No error, and the trace's duration reaches the latency policy's threshold.</summary>
    Slow,

    /// <summary>Everything else: what the probabilistic policy samples.</summary>
    Baseline,
}
