using OtelLab.Lint.Internal;
using OtelLab.Model.Collector;
using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Lint.Rules;

/// <summary>A Dynatrace otlphttp exporter in a metrics pipeline with no cumulativetodelta.</summary>
public sealed class DynatraceCumulativeMetricsRule : LintRule
{
    public override string Id => "dynatrace-cumulative-metrics";

    public override string Title => "Cumulative metrics sent to Dynatrace";

    public override Severity Severity => Severity.Error;

    public override string Why =>
        "Dynatrace's OTLP ingest rejects cumulative monotonic sums, answering HTTP 200 with partial_success " +
        "(UNSUPPORTED_METRIC_TYPE_MONOTONIC_CUMULATIVE_SUM); the collector logs a warning and counts the batch as sent, so the points are " +
        "silently lost. Prometheus scrapes and SDK metrics are cumulative (shared/reference/backends.md; contrib#33673).";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var (m, c) in context.Collectors)
        {
            foreach (var pipeline in c.Config.PipelinesOf("metrics"))
            {
                var dynatrace = pipeline.Exporters
                    .Select(e => c.Config.Exporters.GetValueOrDefault(e.Id))
                    .FirstOrDefault(e => e is not null && IsDynatrace(e));
                if (dynatrace is null || pipeline.Processors.Any(p => p.Id.Type == "cumulativetodelta"))
                {
                    continue;
                }

                var evidence = new List<string> { $"pipeline {pipeline.Id} at {pipeline.Location.FileAndLine}: processors [{string.Join(", ", pipeline.Processors.Select(p => p.Id))}]" };
                if (pipeline.Receivers.Any(r => r.Id.Type == "prometheus"))
                {
                    evidence.Add("its prometheus receiver produces cumulative sums");
                }

                foreach (var feed in CollectorGraph.FeedsInto(context, c))
                {
                    var promPipelines = feed.Collector.Config.PipelinesOf("metrics")
                        .Where(p => p.Receivers.Any(r => r.Id.Type == "prometheus") && p.Exporters.Any(e => e.Id == feed.Exporter.Id));
                    if (promPipelines.Any())
                    {
                        evidence.Add($"{feed.From.Display} forwards Prometheus-scraped (cumulative) metrics to it with {feed.Exporter.Id}");
                    }
                }

                if (pipeline.Receivers.Any(r => r.Id.Type == "otlp"))
                {
                    evidence.Add("OTLP SDK metrics default to cumulative temporality");
                }

                yield return Create(m.Display, dynatrace.Location,
                    $"{m.Display}: metrics pipeline {pipeline.Id} sends to Dynatrace ({dynatrace.Id}) without cumulativetodelta: cumulative counters will be rejected as partial success and silently lost",
                    $"add `cumulativetodelta: {{}}` under processors and put it in pipeline {pipeline.Id} before batch (processors: [cumulativetodelta, batch]); " +
                    "keep a series on one instance (it is stateful)",
                    evidence);
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
