namespace OtelLab.Sim.Collector.Metrics;

/// <summary>OTLP aggregation temporality; the prometheus receiver produces cumulative sums, cumulativetodelta turns them to delta.</summary>
public enum AggregationTemporality
{
    Unspecified,
    Delta,
    Cumulative,
}
