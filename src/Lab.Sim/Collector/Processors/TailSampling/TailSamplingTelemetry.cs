using OtelLab.Sim.Collector.Telemetry;

namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>
/// The processor's internal metrics, named as upstream's generated_telemetry.go / documentation.md
/// (prefix <c>otelcol_processor_tail_sampling_</c>). Labels: <c>count_traces_sampled{policy,sampled,decision}</c>
/// and <c>global_count_traces_sampled{sampled,decision}</c> (upstream added <c>decision</c> next to <c>sampled</c>;
/// older releases carry only <c>sampled</c>). <c>sampling_decision_latency</c> (µs, per policy) is the name of the
/// releases the reference documents; newer releases replaced it with policy_execution_count/time_sum (not emitted).
/// </summary>
public sealed class TailSamplingTelemetry
{
    public const string Prefix = "otelcol_processor_tail_sampling_";

    public TailSamplingTelemetry(MetricRegistry registry)
    {
        Registry = registry;
        CountTracesSampled = registry.Counter(Prefix + "count_traces_sampled", "Count of traces that were sampled or not per sampling policy");
        GlobalCountTracesSampled = registry.Counter(Prefix + "global_count_traces_sampled", "Global count of traces that were sampled or not by at least one policy");
        NewTraceIdReceived = registry.Counter(Prefix + "new_trace_id_received", "Counts the arrival of new traces");
        DecisionLatency = registry.Histogram(Prefix + "sampling_decision_latency", "Latency (in microseconds) of a given sampling policy");
        DecisionTimerLatency = registry.Histogram(
            Prefix + "sampling_decision_timer_latency",
            "Latency (in milliseconds) of each run of the sampling decision timer",
            [1, 2, 5, 10, 25, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1000, 2000, 3000, 4000, 5000, 10000, 20000, 30000, 50000]);
        LateSpanAge = registry.Histogram(Prefix + "sampling_late_span_age", "Time (in seconds) from the sampling decision was taken and the arrival of a late span");
        TraceDroppedTooEarly = registry.Counter(Prefix + "sampling_trace_dropped_too_early", "Count of traces that needed to be dropped before the configured wait time");
        TraceRemovalAge = registry.Histogram(Prefix + "sampling_trace_removal_age", "Time (in seconds) from arrival of a new trace until its removal from memory");
        TracesOnMemory = registry.Gauge(Prefix + "sampling_traces_on_memory", "Tracks the number of traces current on memory");
        PolicyEvaluationError = registry.Counter(Prefix + "sampling_policy_evaluation_error", "Count of sampling policy evaluation errors");
        EarlyReleasesFromCacheDecision = registry.Counter(Prefix + "early_releases_from_cache_decision", "Number of spans that were able to be immediately released due to a decision cache hit.");
    }

    public MetricRegistry Registry { get; }

    public CounterMetric CountTracesSampled { get; }

    public CounterMetric GlobalCountTracesSampled { get; }

    public CounterMetric NewTraceIdReceived { get; }

    public HistogramMetric DecisionLatency { get; }

    public HistogramMetric DecisionTimerLatency { get; }

    public HistogramMetric LateSpanAge { get; }

    public CounterMetric TraceDroppedTooEarly { get; }

    public HistogramMetric TraceRemovalAge { get; }

    public GaugeMetric TracesOnMemory { get; }

    public CounterMetric PolicyEvaluationError { get; }

    public CounterMetric EarlyReleasesFromCacheDecision { get; }

    /// <summary>upstream processor.go decisionToAttributes: the <c>sampled</c> and <c>decision</c> labels of a vote.</summary>
    public static KeyValuePair<string, string>[] DecisionLabels(SamplingDecision decision) => decision switch
    {
        SamplingDecision.Sampled or SamplingDecision.InvertSampled => [new("sampled", "true"), new("decision", "sampled")],
        SamplingDecision.Dropped => [new("sampled", "false"), new("decision", "dropped")],
        _ => [new("sampled", "false"), new("decision", "not_sampled")],
    };
}
