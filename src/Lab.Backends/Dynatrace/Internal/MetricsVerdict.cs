using OtelLab.Backends.Capture;

namespace OtelLab.Backends.Dynatrace.Internal;

/// <summary>A metric refused (all or some of its points) and why.</summary>
internal readonly record struct MetricRefusal(string Metric, string Reason, long Points, string Service);

/// <summary>What Dynatrace makes of one OTLP metrics request: the metrics accepted, the refusals, the request's points.</summary>
internal sealed class MetricsVerdict
{
    public List<CapturedMetric> Accepted { get; } = [];

    public List<MetricRefusal> Refusals { get; } = [];

    public long TotalPoints { get; set; }

    /// <summary>How many metrics were decoded into objects to be judged (the rest were judged from the wire walk).</summary>
    public int Decoded { get; set; }
}
