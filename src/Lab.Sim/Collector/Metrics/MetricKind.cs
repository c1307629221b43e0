namespace OtelLab.Sim.Collector.Metrics;

/// <summary>The OTLP metric data types the lab carries (upstream <c>pmetric.MetricType</c>).</summary>
public enum MetricKind
{
    Gauge,
    Sum,
    Histogram,
    Summary,
}
