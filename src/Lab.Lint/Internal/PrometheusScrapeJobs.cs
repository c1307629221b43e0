using OtelLab.Model.Collector;
using OtelLab.Model.Crds;
using OtelLab.Model.Manifests;
using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Lint.Internal;

/// <summary>The scrape jobs (<c>config.scrape_configs</c> entries) of every prometheus receiver of every collector.</summary>
internal static class PrometheusScrapeJobs
{
    public static IEnumerable<(ManifestObject Manifest, OpenTelemetryCollector Collector, ComponentId Receiver, YamlMappingNode Job, string JobName)> In(LintContext context)
    {
        foreach (var (m, c) in context.Collectors)
        {
            foreach (var (id, receiver) in c.Config.Receivers)
            {
                if (id.Type != "prometheus")
                {
                    continue;
                }

                var scrapeConfigs = YamlReader.Child(YamlReader.Child(receiver.Settings, "config") as YamlMappingNode, "scrape_configs") as YamlSequenceNode;
                foreach (var job in scrapeConfigs?.Children.OfType<YamlMappingNode>() ?? [])
                {
                    yield return (m, c, id, job, (YamlReader.Child(job, "job_name") as YamlScalarNode)?.Value ?? "?");
                }
            }
        }
    }
}
