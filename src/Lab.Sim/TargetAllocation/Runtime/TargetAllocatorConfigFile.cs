using OtelLab.Sim.Cluster;
using OtelLab.Sim.TargetAllocation.Discovery;
using OtelLab.Sim.TargetAllocation.Internal;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Sim.TargetAllocation.Runtime;

/// <summary>
/// The TA's config file as the operator renders it (<c>targetallocator.yaml</c>; upstream: TA internal/config/config.go):
/// <c>allocation_strategy</c>, <c>allocation_fallback_strategy</c>, <c>collector_selector</c>, <c>config</c> (a Prometheus
/// config: <c>global</c>, <c>scrape_configs</c>), <c>prometheus_cr</c>. The operator marshals selectors with yaml.v2, so
/// keys are lower-cased (<c>matchlabels</c>); the camelCase spelling is accepted too.
/// </summary>
public sealed record TargetAllocatorConfigFile
{
    public string AllocationStrategy { get; init; } = AllocationStrategies.ConsistentHashing;

    public string? FallbackStrategy { get; init; }

    public LabelSelector CollectorSelector { get; init; } = LabelSelector.Everything;

    public IReadOnlyList<ScrapeConfig> ScrapeConfigs { get; init; } = [];

    public PrometheusCrOptions PrometheusCr { get; init; } = new();

    /// <summary>Parses the file; a malformed one throws <see cref="FormatException"/> with what is wrong.</summary>
    public static TargetAllocatorConfigFile Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new FormatException($"targetallocator.yaml: {ex.Message}", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return new TargetAllocatorConfigFile();
        }

        var config = PrometheusConfigYaml.Child(root, "config") as YamlMappingNode;
        var global = config is not null && PrometheusConfigYaml.Child(config, "global") is YamlMappingNode g
            ? PrometheusConfigYaml.Duration(g, "scrape_interval")
            : null;
        var cr = PrometheusConfigYaml.Child(root, "prometheus_cr") as YamlMappingNode;
        return new TargetAllocatorConfigFile
        {
            AllocationStrategy = PrometheusConfigYaml.Scalar(root, "allocation_strategy") is { Length: > 0 } s ? s : AllocationStrategies.ConsistentHashing,
            FallbackStrategy = PrometheusConfigYaml.Scalar(root, "allocation_fallback_strategy") is { Length: > 0 } f ? f : null,
            CollectorSelector = Selector(PrometheusConfigYaml.Child(root, "collector_selector")) ?? LabelSelector.Everything,
            ScrapeConfigs = config is null ? [] : PrometheusConfigYaml.ScrapeConfigs(PrometheusConfigYaml.Child(config, "scrape_configs"), global),
            PrometheusCr = cr is null ? new PrometheusCrOptions() : new PrometheusCrOptions
            {
                Enabled = PrometheusConfigYaml.Scalar(cr, "enabled") == "true",
                ScrapeInterval = PrometheusConfigYaml.Duration(cr, "scrape_interval") ?? TimeSpan.FromSeconds(30),
                ServiceMonitorSelector = Selector(PrometheusConfigYaml.Child(cr, "service_monitor_selector")),
                PodMonitorSelector = Selector(PrometheusConfigYaml.Child(cr, "pod_monitor_selector")),
            },
        };
    }

    private static LabelSelector? Selector(YamlNode? node)
    {
        if (node is not YamlMappingNode m)
        {
            return null;
        }

        var labels = (PrometheusConfigYaml.Child(m, "matchlabels") ?? PrometheusConfigYaml.Child(m, "matchLabels")) as YamlMappingNode;
        return LabelSelector.FromLabels(labels?.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? string.Empty, (kv.Value as YamlScalarNode)?.Value ?? string.Empty)));
    }
}
