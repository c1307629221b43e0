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

/// <summary>
/// One metric (name, type, temporality, points) as a backend received it. The points are kept encoded (the OTLP
/// metric, or the Datadog series) and decoded on each read: a ring of 200,000 metrics then retains one array each
/// instead of ~30 objects, which is what a 9,000-target lab's garbage collector spent its time marking (measured).
/// </summary>
public sealed class CapturedMetric
{
    private readonly IReadOnlyList<CapturedPoint>? _points;
    private readonly int _pointCount = -1;

    public required CapturedResource Resource { get; init; }

    public required string Name { get; init; }

    public required CapturedMetricType Type { get; init; }

    public CapturedTemporality Temporality { get; init; }

    public bool IsMonotonic { get; init; }

    public string Unit { get; init; } = "";

    /// <summary>The accepted points, decoded on each read (callers that read them twice keep the list).</summary>
    public IReadOnlyList<CapturedPoint> Points
    {
        get => _points
            ?? (EncodedOtlp is { } otlp ? [.. Internal.OtlpCapture.Points(OpenTelemetry.Proto.Metrics.V1.Metric.Parser.ParseFrom(otlp))]
            : EncodedDatadogSeries is { } series ? Datadog.Internal.DatadogCapture.SeriesPoints(Datadog.Protocol.MetricPayload.Types.MetricSeries.Parser.ParseFrom(series))
            : []);
        init => _points = value;
    }

    /// <summary>Points kept decoded (a partly refused metric's accepted ones); null when they are kept encoded.</summary>
    internal IReadOnlyList<CapturedPoint>? DecodedPoints
    {
        init => _points = value;
    }

    /// <summary>How many points <see cref="Points"/> holds, without decoding them.</summary>
    public int PointCount
    {
        get => _pointCount >= 0 ? _pointCount : _points?.Count ?? 0;
        init => _pointCount = value;
    }

    /// <summary>The OTLP metric as received, when every point of it was accepted (for OTLP/JSON export and <see cref="Points"/>).</summary>
    internal byte[]? EncodedOtlp { get; init; }

    /// <summary>The Datadog series as received (for <see cref="Points"/>).</summary>
    internal byte[]? EncodedDatadogSeries { get; init; }

    /// <summary>The decoded OTLP metric, for OTLP/JSON export (null for Datadog series and partly refused metrics).</summary>
    internal OpenTelemetry.Proto.Metrics.V1.Metric? Otlp => EncodedOtlp is { } otlp ? OpenTelemetry.Proto.Metrics.V1.Metric.Parser.ParseFrom(otlp) : null;

    public string ServiceName => Resource.ServiceName;
}
