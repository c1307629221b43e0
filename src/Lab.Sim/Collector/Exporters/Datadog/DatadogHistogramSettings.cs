namespace OtelLab.Sim.Collector.Exporters.Datadog;

/// <summary>
/// <c>metrics.histograms</c> of the datadog exporter. upstream pkg/datadog/config (HistogramConfig) and the
/// mapping-go translator defaults: <c>mode: distributions</c> (sketches), <c>send_aggregation_metrics: false</c>
/// (formerly <c>send_count_sum_metrics</c>); valid modes distributions, counters, nobuckets.
/// </summary>
public sealed record DatadogHistogramSettings
{
    public const string Distributions = "distributions";
    public const string Counters = "counters";
    public const string NoBuckets = "nobuckets";

    public string Mode { get; init; } = Distributions;

    public bool SendAggregationMetrics { get; init; }
}
