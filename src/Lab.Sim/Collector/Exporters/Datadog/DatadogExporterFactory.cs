using OtelLab.Model.Collector;
using OtelLab.Model.Secrets;
using OtelLab.Sim.Collector.Internal;
using OtelLab.Sim.Collector.Pipeline;

namespace OtelLab.Sim.Collector.Exporters.Datadog;

/// <summary>Builds <c>datadog</c> exporters (contrib distribution only; upstream exporter/datadogexporter).</summary>
public sealed class DatadogExporterFactory : IComponentFactory
{
    public string Type => "datadog";

    public ComponentKind Kind => ComponentKind.Exporter;

    public IReadOnlySet<string> Signals { get; } = new HashSet<string>(StringComparer.Ordinal) { "traces", "metrics" };

    public ICollectorComponent Create(ComponentCreateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var s = new ComponentSettings(context);
        var api = s.Mapping(s.Root, "api", "api");
        var key = s.String(api, "key", "api.key") ?? string.Empty;
        if (key.Length == 0)
        {
            // upstream datadog config Validate: errUnsetAPIKey
            throw s.Error(api, "api.key is not set");
        }

        if (!key.All(Uri.IsHexDigit))
        {
            // upstream: the key must be hexadecimal; the message names the masked key only.
            throw s.Error(api, $"api.key contains invalid characters: {CredentialMask.Mask(key)}");
        }

        var metrics = s.Mapping(s.Root, "metrics", "metrics");
        var histograms = s.Mapping(metrics, "histograms", "metrics.histograms");
        var mode = s.String(histograms, "mode", "metrics.histograms.mode") ?? DatadogHistogramSettings.Distributions;
        if (mode is not (DatadogHistogramSettings.Distributions or DatadogHistogramSettings.Counters or DatadogHistogramSettings.NoBuckets))
        {
            // upstream HistogramMode.UnmarshalText
            throw s.Error(histograms, $"invalid histogram mode \"{mode}\"");
        }

        var aggregations = s.Bool(histograms, "send_aggregation_metrics", "metrics.histograms.send_aggregation_metrics")
            ?? s.Bool(histograms, "send_count_sum_metrics", "metrics.histograms.send_count_sum_metrics") ?? false;
        if (mode == DatadogHistogramSettings.NoBuckets && !aggregations)
        {
            // upstream config Validate: nobuckets without the aggregation metrics would send nothing for histograms.
            throw s.Error(histograms, "'nobuckets' mode and 'send_aggregation_metrics' set to false will send no histogram metrics");
        }

        return new DatadogExporter(context, new DatadogExporterConfig
        {
            ApiKey = key,
            Site = s.String(api, "site", "api.site") ?? "datadoghq.com",
            FailOnInvalidKey = s.Bool(api, "fail_on_invalid_key", "api.fail_on_invalid_key") ?? false,
            MetricsEndpoint = s.String(metrics, "endpoint", "metrics.endpoint"),
            TracesEndpoint = s.String(s.Mapping(s.Root, "traces", "traces"), "endpoint", "traces.endpoint"),
            Hostname = s.String(s.Root, "hostname", "hostname"),
            Histograms = new DatadogHistogramSettings { Mode = mode, SendAggregationMetrics = aggregations },
        });
    }
}
