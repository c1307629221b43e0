namespace OtelLab.Scenarios.Checks;

/// <summary>One collector pod's exporter loss counters (<c>otelcol_exporter_send_failed_*</c>, <c>otelcol_exporter_enqueue_failed_*</c>), summed over its exporters.</summary>
public sealed record CollectorFailureCounters(string Collector, string Pod, long SendFailedSpans, long SendFailedMetricPoints, long EnqueueFailedSpans, long EnqueueFailedMetricPoints)
{
    public long Total => SendFailedSpans + SendFailedMetricPoints + EnqueueFailedSpans + EnqueueFailedMetricPoints;
}
