namespace OtelLab.Scenarios.Monitoring;

/// <summary>The collector's internal metric names the lab reads (upstream: opentelemetry-collector exporterhelper / receiverhelper obsreport).</summary>
public static class CollectorMetricNames
{
    public const string ReceiverAcceptedSpans = "otelcol_receiver_accepted_spans";
    public const string ReceiverRefusedSpans = "otelcol_receiver_refused_spans";
    public const string ProcessorRefusedSpans = "otelcol_processor_refused_spans";
    public const string ExporterSentSpans = "otelcol_exporter_sent_spans";
    public const string ExporterSendFailedSpans = "otelcol_exporter_send_failed_spans";
    public const string ExporterSendFailedMetricPoints = "otelcol_exporter_send_failed_metric_points";
    public const string ExporterEnqueueFailedSpans = "otelcol_exporter_enqueue_failed_spans";
    public const string ExporterEnqueueFailedMetricPoints = "otelcol_exporter_enqueue_failed_metric_points";
}
