using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Exporters.Datadog.Internal;

/// <summary>
/// The datadog exporter's metrics path through exporterhelper: <c>sending_queue</c> and <c>retry_on_failure</c> from the
/// exporter's own settings with upstream's defaults (queue 1000 requests / 10 consumers; 5 s initial, ±50 %, ×1.5, 30 s
/// max, 5 min elapsed). upstream exporter/datadogexporter factory.go createMetricsExporter: exporterhelper WithQueue
/// (cfg.QueueSettings) and WithRetry disabled, because the exporter retries itself with clientutil.Retrier built
/// from the same cfg.BackOffConfig (same cenkalti backoff: DefaultRandomizationFactor 0.5, DefaultMultiplier 1.5), and
/// its HTTP client's 15 s timeout (confighttp default in the datadog config) bounds an attempt. The lab folds the two
/// into one <see cref="QueuedRetryExporter"/>; the push decides retryable vs permanent as clientutil.WrapError does.
/// </summary>
internal sealed class DatadogMetricsSender(ComponentCreateContext context, Func<IReadOnlyList<MetricPoint>, CancellationToken, Task<ExportResult>> push)
    : QueuedRetryExporter(context, defaultTimeout: TimeSpan.FromSeconds(15))
{
    protected override Task<ExportResult> PushTracesAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken) =>
        Task.FromResult(ExportResult.Permanent("the datadog exporter sends traces through its trace writer"));

    protected override Task<ExportResult> PushMetricsAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken) =>
        push(points, cancellationToken);
}
