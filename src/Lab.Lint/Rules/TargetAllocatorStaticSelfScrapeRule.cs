using OtelLab.Lint.Internal;
using OtelLab.Model.Crds;
using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Lint.Rules;

/// <summary>A static self-scrape target in a TA-enabled collector (scraped by one replica only).</summary>
public sealed class TargetAllocatorStaticSelfScrapeRule : LintRule
{
    public override string Id => "targetallocator-static-self-scrape";

    public override string Title => "Static self-scrape assigned to one replica";

    public override Severity Severity => Severity.Warning;

    public override string Why =>
        "With the Target Allocator the operator moves scrape_configs to the TA, which assigns a static_configs target to exactly one " +
        "replica: `0.0.0.0:8888` is scraped by that replica only (of itself), so the other replicas' own metrics are never collected " +
        "(opentelemetry-operator cmd/otel-allocator/README.md: the allocator distributes every target of every job, static ones included).";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var (m, c, id, job, jobName) in PrometheusScrapeJobs.In(context))
        {
            // One replica scraping itself is every replica scraping itself.
            if (id.Name is not null || !c.TargetAllocator.Enabled || (c.Mode != CollectorMode.DaemonSet && c.Replicas <= 1))
            {
                continue;
            }

            foreach (var sc in (YamlReader.Child(job, "static_configs") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [])
            {
                foreach (var t in (YamlReader.Child(sc, "targets") as YamlSequenceNode)?.Children.OfType<YamlScalarNode>() ?? [])
                {
                    var host = (t.Value ?? string.Empty).Split(':')[0];
                    if (host is not ("0.0.0.0" or "localhost" or "127.0.0.1"))
                    {
                        continue;
                    }

                    yield return Create(m.Display, c.Config.LocationOf(t),
                        $"{m.Display}: job {jobName} scrapes {t.Value} statically; with the Target Allocator only one of {c.Replicas} replicas scrapes it (itself)",
                        "scrape collector self-metrics with a PodMonitor selecting the collector pods (app.kubernetes.io/component: opentelemetry-collector) " +
                        "so every replica is a target, or read each replica's :8888 from the agent tier",
                        [$"job {jobName}: static target {t.Value}", $"spec.replicas = {c.Replicas}"]);
                }
            }
        }
    }
}
