using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OtelLab.Lint;
using OtelLab.Scenarios.Monitoring;
using OtelLab.Sim.TargetAllocation;
using OpenTelemetry.Resources;

namespace OtelLab.AppHost.Hosting;

/// <summary>
/// The lab's own telemetry to the dashboard through the OpenTelemetry .NET SDK (OTLP/HTTP protobuf to the endpoint
/// Aspire configures), as the <c>lab</c> resource: each collector pod's <c>otelcol_*</c> counters (series labels kept,
/// plus the pod and collector), the Target Allocators' shards (targets and series per replica), keep rates by trace
/// class, the backends' ingest and rejections as metrics the dashboard charts; each finding once as a structured
/// log record (severity, rule id, object, file:line, evidence). Nothing when headless.
/// </summary>
internal sealed class LabTelemetryExporter(LabMonitor monitor, IConfiguration configuration, ResourceNotificationService notifications, DistributedApplicationModel model) : BackgroundService
{
    public const string MeterName = "OtelLab.Lab";

    // The collectors' self-metrics a person charts first (upstream: the collector's internal telemetry, otelcol_*).
    private static readonly string[] CollectorCounters =
    [
        "otelcol_receiver_accepted_spans", "otelcol_receiver_refused_spans", "otelcol_receiver_accepted_metric_points",
        "otelcol_receiver_refused_metric_points", "otelcol_exporter_sent_spans", "otelcol_exporter_send_failed_spans",
        "otelcol_exporter_sent_metric_points", "otelcol_exporter_send_failed_metric_points",
        "otelcol_exporter_enqueue_failed_spans", "otelcol_exporter_enqueue_failed_metric_points",
        "otelcol_processor_tail_sampling_count_traces_sampled",
    ];

    // The Target Allocator's own gauges (upstream: cmd/otel-allocator metrics, opentelemetry_allocator_*).
    private static readonly string[] AllocatorGauges =
    [
        AllocatorMetricNames.TargetsPerCollector, AllocatorMetricNames.CollectorsAllocatable, AllocatorMetricNames.Targets,
        AllocatorMetricNames.CollectorsDiscovered, AllocatorMetricNames.TargetsUnassigned,
    ];

    private readonly HashSet<string> _loggedFindings = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var endpoint = configuration["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"]?.TrimEnd('/');
        if (endpoint is null || !model.Resources.Any(r => r.Name == "aspire-dashboard"))
        {
            return;
        }

        try
        {
            await notifications.WaitForResourceHealthyAsync("aspire-dashboard", stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var key = configuration["AppHost:OtlpApiKey"];
        void Otlp(OtlpExporterOptions o, string signal)
        {
            o.Protocol = OtlpExportProtocol.HttpProtobuf;
            o.Endpoint = new Uri($"{endpoint}/v1/{signal}");
            if (key is { Length: > 0 })
            {
                o.Headers = "x-otlp-api-key=" + key;
            }
        }

        // service.name = the lab page's resource, no instance id: the dashboard attaches the telemetry to that row.
        var resource = ResourceBuilder.CreateEmpty().AddService(LabViewsResourceBuilderExtensions.ResourceName, autoGenerateServiceInstanceId: false);
        using var meter = new Meter(MeterName);
        Instruments(meter);
        using var meters = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(MeterName)
            .AddOtlpExporter((o, reader) =>
            {
                Otlp(o, "metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 5000;
            })
            .Build();
        using var logs = LoggerFactory.Create(b => b.AddOpenTelemetry(o =>
        {
            o.SetResourceBuilder(resource);
            o.IncludeFormattedMessage = true;
            o.AddOtlpExporter(e => Otlp(e, "logs"));
        }));
        var findings = logs.CreateLogger("OtelLab.Findings");
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            do
            {
                LogNewFindings(findings, monitor.Latest.Findings);
            }
            while (await tick.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // the host is stopping: the providers flush as they are disposed
        }
    }

    private void Instruments(Meter meter)
    {
        foreach (var name in CollectorCounters)
        {
            meter.CreateObservableCounter(name, () => CollectorSeries(name));
        }

        foreach (var name in AllocatorGauges)
        {
            meter.CreateObservableGauge(name, () => AllocatorSeries(name));
        }

        meter.CreateObservableGauge("lab.targetallocator.targets", () => monitor.Latest.Shards.Select(s =>
            new Measurement<long>(s.Targets, new("replica", s.Replica), new("collector", s.Collector))), description: "Targets the Target Allocator assigned to each collector replica");
        meter.CreateObservableGauge("lab.targetallocator.series", () => monitor.Latest.Shards.Select(s =>
            new Measurement<long>(s.Series, new("replica", s.Replica), new("collector", s.Collector))), description: "Series each replica's last scrapes returned");
        meter.CreateObservableGauge("lab.tailsampling.keep_rate", () => monitor.Latest.KeepRates.Where(k => k.Traces > 0).Select(k =>
            new Measurement<double>(k.Rate, new KeyValuePair<string, object?>("class", k.Class))), unit: "1", description: "Traces kept by tail sampling, by class (error, slow, baseline)");
        meter.CreateObservableCounter("lab.backend.accepted_spans", () => monitor.Latest.Backends.Select(b =>
            new Measurement<long>(b.AcceptedSpans, new KeyValuePair<string, object?>("backend", b.Backend))));
        meter.CreateObservableCounter("lab.backend.accepted_metric_points", () => monitor.Latest.Backends.Select(b =>
            new Measurement<long>(b.AcceptedMetricPoints, new KeyValuePair<string, object?>("backend", b.Backend))));
        meter.CreateObservableCounter("lab.backend.rejected_requests", () => monitor.Latest.Backends.Select(b =>
            new Measurement<long>(b.RejectedRequests, new KeyValuePair<string, object?>("backend", b.Backend))));
    }

    private IEnumerable<Measurement<long>> CollectorSeries(string name)
    {
        foreach (var collector in CollectorFleet.Of(monitor.Lab))
        {
            foreach (var (labels, value) in collector.Instance.Telemetry.FindCounter(name)?.Series() ?? [])
            {
                yield return new Measurement<long>(value,
                [
                    new("k8s.pod.name", collector.Pod), new("collector", collector.Collector),
                    .. labels.Select(l => new KeyValuePair<string, object?>(l.Key, l.Value)),
                ]);
            }
        }
    }

    private IEnumerable<Measurement<double>> AllocatorSeries(string name)
    {
        foreach (var (pod, allocator) in monitor.Lab.TargetAllocators)
        {
            foreach (var (labels, value) in allocator.Metrics.FindGauge(name)?.Series() ?? [])
            {
                yield return new Measurement<double>(value,
                [
                    new("k8s.pod.name", pod),
                    .. labels.Select(l => new KeyValuePair<string, object?>(l.Key, l.Value)),
                ]);
            }
        }
    }

    private void LogNewFindings(ILogger logger, IReadOnlyList<Finding> findings)
    {
        foreach (var f in findings)
        {
            if (!_loggedFindings.Add($"{f.RuleId}|{f.Object}|{f.Location}"))
            {
                continue;
            }

            var level = f.Severity switch
            {
                Severity.Error => LogLevel.Error,
                Severity.Warning => LogLevel.Warning,
                _ => LogLevel.Information,
            };
#pragma warning disable CA2254 // the level varies; the template is constant
            logger.Log(level, "{RuleId} {Object} at {File}:{Line}: {Message} Evidence: {Evidence} Fix: {Fix}",
                f.RuleId, f.Object, f.Location.File, f.Location.Line, f.Message, string.Join("; ", f.Evidence), f.Fix);
#pragma warning restore CA2254
        }
    }
}
