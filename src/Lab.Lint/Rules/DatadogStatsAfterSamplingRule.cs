namespace OtelLab.Lint.Rules;

/// <summary>A datadog exporter after tail_sampling with no datadog connector on an unsampled pipeline.</summary>
public sealed class DatadogStatsAfterSamplingRule : LintRule
{
    public override string Id => "datadog-stats-after-sampling";

    public override string Title => "Datadog APM stats computed on sampled traces";

    public override Severity Severity => Severity.Warning;

    public override string Why =>
        "The datadog exporter no longer computes APM stats; the datadog connector does, and it must see 100% of spans, i.e. run in a " +
        "pipeline before tail sampling. Stats computed after tail_sampling describe only the kept subset: request rates and error rates " +
        "in Datadog are wrong (opentelemetry-collector-contrib connector/datadogconnector/README.md; contrib#32219).";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var (m, c) in context.Collectors)
        {
            var sampled = c.Config.PipelinesOf("traces")
                .Where(p => p.Processors.Any(r => r.Id.Type == "tail_sampling") && p.Exporters.Any(e => e.Id.Type == "datadog" && c.Config.Exporters.ContainsKey(e.Id)))
                .ToList();
            if (sampled.Count == 0)
            {
                continue;
            }

            var hasConnector = c.Config.PipelinesOf("traces").Any(p =>
                !p.Processors.Any(r => r.Id.Type == "tail_sampling") &&
                p.Exporters.Any(e => e.Id.Type == "datadog" && c.Config.Connectors.ContainsKey(e.Id)));
            if (hasConnector)
            {
                continue;
            }

            var p = sampled[0];
            yield return Create(m.Display, p.Location,
                $"{m.Display}: pipeline {p.Id} exports to datadog after tail_sampling and no datadog connector sees the unsampled traces: APM stats will cover only the sampled subset",
                "add `connectors: {datadog/connector: {}}`, a traces pipeline without tail_sampling that exports to datadog/connector, " +
                "and a metrics pipeline receiving from datadog/connector that exports to datadog",
                [$"pipeline {p.Id}: processors [{string.Join(", ", p.Processors.Select(x => x.Id))}] → exporters [{string.Join(", ", p.Exporters.Select(x => x.Id))}]"]);
        }
    }
}
