using OtelLab.Lint.Internal;
using OtelLab.Model.Collector;
using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Lint.Rules;

/// <summary>
/// A Dynatrace otlphttp exporter reached by cumulative metric points: temporality is traced from each metrics
/// pipeline back through the tiers that feed it, and a tier that converts to delta before forwarding clears its path.
/// </summary>
public sealed class DynatraceCumulativeMetricsRule : LintRule
{
    public override string Id => "dynatrace-cumulative-metrics";

    public override string Title => "Cumulative metrics sent to Dynatrace";

    public override Severity Severity => Severity.Error;

    public override string Why =>
        "Dynatrace's OTLP metrics ingest has no mapping for a cumulative monotonic sum (https://docs.dynatrace.com/managed/shortlink/otel-getstarted-metrics-ingest): " +
        "it answers HTTP 200 with partial_success (UNSUPPORTED_METRIC_TYPE_MONOTONIC_CUMULATIVE_SUM), and the collector's exporterhelper logs a " +
        "warning and counts the batch as sent, so the points are silently lost. Prometheus scrapes are cumulative, and so are OTLP SDK metrics " +
        "unless OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=delta (opentelemetry-specification " +
        "specification/metrics/sdk_exporters/otlp.md). A cumulativetodelta processor on every path before Dynatrace converts them " +
        "(opentelemetry-collector-contrib processor/cumulativetodeltaprocessor/README.md; contrib#33673).";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        var temporality = new MetricsTemporality(context);
        foreach (var (m, c) in context.Collectors)
        {
            foreach (var pipeline in c.Config.PipelinesOf("metrics"))
            {
                var dynatrace = pipeline.Exporters
                    .Select(e => c.Config.Exporters.GetValueOrDefault(e.Id))
                    .FirstOrDefault(e => e is not null && IsDynatrace(e));
                if (dynatrace is null)
                {
                    continue;
                }

                var sources = temporality.Into(m, c, pipeline);
                if (sources.Count == 0)
                {
                    continue;
                }

                var seen = sources.Any(s => s.Seen);
                var evidence = new List<string> { $"pipeline {pipeline.Id} at {pipeline.Location.FileAndLine}: processors [{string.Join(", ", pipeline.Processors.Select(p => p.Id))}]" };
                evidence.AddRange(sources.Select(s => s.Evidence).Distinct(StringComparer.Ordinal));
                yield return Create(m.Display, dynatrace.Location,
                    seen
                        ? $"{m.Display}: metrics pipeline {pipeline.Id} sends cumulative points to Dynatrace ({dynatrace.Id}) on {sources.Count(s => s.Seen)} path(s) without cumulativetodelta: they will be rejected as partial success and silently lost"
                        : $"{m.Display}: metrics pipeline {pipeline.Id} may send cumulative points to Dynatrace ({dynatrace.Id}): on {sources.Count} path(s) nothing in these manifests converts them to delta, and cumulative sums would be silently lost",
                    $"add `cumulativetodelta: {{}}` to the processors of pipeline {pipeline.Id} (processors: [cumulativetodelta, batch]), or to the metrics pipeline " +
                    "of each tier named in the evidence before it forwards; it is stateful, so convert where each series always reaches the same instance",
                    evidence,
                    seen ? Severity.Error : Severity.Warning);
            }
        }
    }

    internal static bool IsDynatrace(ComponentConfig exporter)
    {
        if (exporter.Id.Type != "otlphttp")
        {
            return false;
        }

        var endpoint = (YamlReader.Child(exporter.Settings, "endpoint") as YamlScalarNode)?.Value ?? string.Empty;
        var auth = (YamlReader.Child(YamlReader.Child(exporter.Settings, "headers") as YamlMappingNode, "Authorization") as YamlScalarNode)?.Value ?? string.Empty;
        return endpoint.Contains("/api/v2/otlp", StringComparison.Ordinal) ||
               endpoint.Contains("dynatrace", StringComparison.OrdinalIgnoreCase) ||
               auth.StartsWith("Api-Token", StringComparison.Ordinal) ||
               exporter.Id.Name?.Contains("dynatrace", StringComparison.OrdinalIgnoreCase) == true;
    }
}
