using OpenTelemetry.Proto.Common.V1;

namespace OtelLab.Backends.Capture;

/// <summary>The kind of a captured metric, across OTLP and Datadog.</summary>
public enum CapturedMetricType
{
    Gauge,
    Sum,
    Histogram,
    ExponentialHistogram,
    Summary,
    /// <summary>Datadog series type COUNT.</summary>
    Count,
    /// <summary>Datadog series type RATE.</summary>
    Rate,
    /// <summary>Datadog distribution sketch.</summary>
    Sketch,
}

/// <summary>Aggregation temporality (OTLP numbering).</summary>
public enum CapturedTemporality
{
    Unspecified = 0,
    Delta = 1,
    Cumulative = 2,
}

/// <summary>One data point: a value (for histograms and summaries: the sum, with the count), time and attributes.</summary>
public sealed record CapturedPoint(ulong TimeUnixNano, double Value, ulong Count, IReadOnlyList<KeyValue> Attributes);

/// <summary>One metric (name, type, temporality, points) as a backend received it.</summary>
public sealed class CapturedMetric
{
    public required CapturedResource Resource { get; init; }

    public required string Name { get; init; }

    public required CapturedMetricType Type { get; init; }

    public CapturedTemporality Temporality { get; init; }

    public bool IsMonotonic { get; init; }

    public string Unit { get; init; } = "";

    public required IReadOnlyList<CapturedPoint> Points { get; init; }

    /// <summary>The decoded OTLP metric, kept for OTLP/JSON export (null for Datadog series).</summary>
    internal OpenTelemetry.Proto.Metrics.V1.Metric? Otlp { get; init; }

    public string ServiceName => Resource.ServiceName;
}
