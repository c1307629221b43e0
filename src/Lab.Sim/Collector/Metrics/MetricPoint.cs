using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Metrics;

/// <summary>
/// One data point of one metric as the emulated collector components see it, independent of protobuf (the metrics
/// twin of <see cref="TraceSpan"/>). Points read from one OTLP <c>ResourceMetrics</c> share one
/// <see cref="TelemetryResource"/> instance. Histogram and summary points carry their shape in the optional members.
/// </summary>
public sealed record MetricPoint
{
    public required string Name { get; init; }

    public string Description { get; init; } = string.Empty;

    public string Unit { get; init; } = string.Empty;

    public MetricKind Kind { get; init; } = MetricKind.Gauge;

    /// <summary>For <see cref="MetricKind.Sum"/> and <see cref="MetricKind.Histogram"/>.</summary>
    public AggregationTemporality Temporality { get; init; } = AggregationTemporality.Unspecified;

    /// <summary>For <see cref="MetricKind.Sum"/>: a counter (true) or an up-down counter (false).</summary>
    public bool IsMonotonic { get; init; }

    public TelemetryResource Resource { get; init; } = TelemetryResource.Empty;

    /// <summary>The instrumentation scope (for the prometheus receiver: <c>otelcol/prometheusreceiver</c>).</summary>
    public string ScopeName { get; init; } = string.Empty;

    public IReadOnlyDictionary<string, AttributeValue> Attributes { get; init; } = EmptyAttributes;

    public ulong StartTimeUnixNano { get; init; }

    public ulong TimeUnixNano { get; init; }

    /// <summary>The value of a gauge or sum point; the sum of a histogram or summary point.</summary>
    public double Value { get; init; }

    /// <summary>Histogram/summary observation count.</summary>
    public ulong Count { get; init; }

    /// <summary>Histogram explicit bounds (N) with <see cref="BucketCounts"/> (N + 1).</summary>
    public IReadOnlyList<double> ExplicitBounds { get; init; } = [];

    public IReadOnlyList<ulong> BucketCounts { get; init; } = [];

    /// <summary>Summary quantiles as (quantile, value).</summary>
    public IReadOnlyList<(double Quantile, double Value)> Quantiles { get; init; } = [];

    private static readonly IReadOnlyDictionary<string, AttributeValue> EmptyAttributes = new Dictionary<string, AttributeValue>();
}
