using OtelLab.Scenarios.Monitoring;

namespace OtelLab.Scenarios.Checks;

/// <summary>One collector pod's exporter loss counters (<c>otelcol_exporter_send_failed_*</c>, <c>otelcol_exporter_enqueue_failed_*</c>), summed over its exporters.</summary>
public sealed record CollectorFailureCounters(string Collector, string Pod, long SendFailedSpans, long SendFailedMetricPoints, long EnqueueFailedSpans, long EnqueueFailedMetricPoints)
{
    public long Total => SendFailedSpans + SendFailedMetricPoints + EnqueueFailedSpans + EnqueueFailedMetricPoints;

    /// <summary>Reads a running collector's counters now.</summary>
    public static CollectorFailureCounters Of(RunningCollector collector)
    {
        ArgumentNullException.ThrowIfNull(collector);
        return new(
            collector.Collector,
            collector.Pod,
            collector.Counter(CollectorMetricNames.ExporterSendFailedSpans),
            collector.Counter(CollectorMetricNames.ExporterSendFailedMetricPoints),
            collector.Counter(CollectorMetricNames.ExporterEnqueueFailedSpans),
            collector.Counter(CollectorMetricNames.ExporterEnqueueFailedMetricPoints));
    }

    /// <summary>What was counted after <paramref name="earlier"/> (the same pod's counters read before; a restarted pod's counters start over).</summary>
    public CollectorFailureCounters Since(CollectorFailureCounters? earlier) => earlier is null || earlier.Pod != Pod ? this : this with
    {
        SendFailedSpans = Math.Max(0, SendFailedSpans - earlier.SendFailedSpans),
        SendFailedMetricPoints = Math.Max(0, SendFailedMetricPoints - earlier.SendFailedMetricPoints),
        EnqueueFailedSpans = Math.Max(0, EnqueueFailedSpans - earlier.EnqueueFailedSpans),
        EnqueueFailedMetricPoints = Math.Max(0, EnqueueFailedMetricPoints - earlier.EnqueueFailedMetricPoints),
    };
}
