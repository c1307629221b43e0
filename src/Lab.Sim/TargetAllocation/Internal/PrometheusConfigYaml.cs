using System.Globalization;
using OtelLab.Model.Go;
using OtelLab.Sim.Relabeling;
using OtelLab.Sim.TargetAllocation.Discovery;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Sim.TargetAllocation.Internal;

/// <summary>
/// Reads the parts of a Prometheus config the lab models (upstream: prometheus config/config.go ScrapeConfig,
/// model/relabel Config, discovery/kubernetes SDConfig) from YAML. Relabelings of ServiceMonitors/PodMonitors are
/// read too: they spell keys in camelCase (<c>sourceLabels</c>, <c>targetLabel</c>), as prometheus-operator's
/// RelabelConfig does. Bad values throw <see cref="FormatException"/> with the key.
/// </summary>
internal static class PrometheusConfigYaml
{
    public static IReadOnlyList<ScrapeConfig> ScrapeConfigs(YamlNode? node, TimeSpan? globalInterval = null) =>
        node is YamlSequenceNode seq ? [.. seq.Children.OfType<YamlMappingNode>().Select(m => ScrapeConfig(m, globalInterval))] : [];

    public static ScrapeConfig ScrapeConfig(YamlMappingNode m, TimeSpan? globalInterval = null)
    {
        var job = Scalar(m, "job_name") ?? throw new FormatException("scrape config without job_name");
        return new ScrapeConfig
        {
            JobName = job,
            ScrapeInterval = Duration(m, "scrape_interval") ?? globalInterval ?? TimeSpan.FromMinutes(1),
            ScrapeTimeout = Duration(m, "scrape_timeout") ?? TimeSpan.FromSeconds(10),
            MetricsPath = Scalar(m, "metrics_path") ?? "/metrics",
            Scheme = Scalar(m, "scheme") ?? "http",
            HonorLabels = Scalar(m, "honor_labels") == "true",
            RelabelConfigs = RelabelConfigs(Child(m, "relabel_configs")),
            MetricRelabelConfigs = RelabelConfigs(Child(m, "metric_relabel_configs")),
            StaticConfigs = Child(m, "static_configs") is YamlSequenceNode statics
                ? [.. statics.Children.OfType<YamlMappingNode>().Select(StaticConfig)]
                : [],
            KubernetesSdConfigs = Child(m, "kubernetes_sd_configs") is YamlSequenceNode sds
                ? [.. sds.Children.OfType<YamlMappingNode>().Select(KubernetesSd)]
                : [],
        };
    }

    public static IReadOnlyList<RelabelConfig> RelabelConfigs(YamlNode? node) =>
        node is YamlSequenceNode seq ? [.. seq.Children.OfType<YamlMappingNode>().Select(RelabelConfig)] : [];

    public static RelabelConfig RelabelConfig(YamlMappingNode m)
    {
        var config = new RelabelConfig
        {
            SourceLabels = Child(m, "source_labels") is YamlSequenceNode s || Child(m, "sourceLabels") is YamlSequenceNode
                ? [.. ((YamlSequenceNode)(Child(m, "source_labels") ?? Child(m, "sourceLabels"))!).Children.OfType<YamlScalarNode>().Select(x => x.Value ?? string.Empty)]
                : [],
            Separator = Scalar(m, "separator") ?? ";",
            Regex = Scalar(m, "regex") is { } regex ? new RelabelRegex(regex) : RelabelRegex.Default,
            Modulus = Scalar(m, "modulus") is { } mod ? ulong.Parse(mod, CultureInfo.InvariantCulture) : 0,
            TargetLabel = Scalar(m, "target_label") ?? Scalar(m, "targetLabel") ?? string.Empty,
            Replacement = Scalar(m, "replacement") ?? "$1",
            Action = Scalar(m, "action") is { } action ? Relabeling.RelabelConfig.ParseAction(action) : RelabelAction.Replace,
        };
        return config.Validate() is { } error ? throw new FormatException(error) : config;
    }

    public static TimeSpan? Duration(YamlMappingNode m, string key)
    {
        if (Scalar(m, key) is not { } text)
        {
            return null;
        }

        return GoDuration.TryParse(text, out var d, out var error) ? d : throw new FormatException($"{key}: {error}");
    }

    public static string? Scalar(YamlMappingNode m, string key) => (Child(m, key) as YamlScalarNode)?.Value;

    public static YamlNode? Child(YamlMappingNode m, string key) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static StaticConfig StaticConfig(YamlMappingNode m)
    {
        IReadOnlyList<string> targets = Child(m, "targets") is YamlSequenceNode t
            ? [.. t.Children.OfType<YamlScalarNode>().Select(x => x.Value ?? string.Empty)]
            : [];
        var labels = Child(m, "labels") is YamlMappingNode l
            ? LabelSet.From(l.Children.Select(kv => new Label(((YamlScalarNode)kv.Key).Value ?? string.Empty, (kv.Value as YamlScalarNode)?.Value ?? string.Empty)))
            : null;
        return new StaticConfig(targets, labels);
    }

    private static KubernetesSdConfig KubernetesSd(YamlMappingNode m)
    {
        var role = Scalar(m, "role") ?? throw new FormatException("kubernetes_sd_configs: role missing");
        if (!KubernetesSdConfig.Roles.Contains(role))
        {
            throw new FormatException($"kubernetes_sd_configs: unknown Kubernetes SD role \"{role}\"");
        }

        IReadOnlyList<string> names = Child(m, "namespaces") is YamlMappingNode ns && Child(ns, "names") is YamlSequenceNode n
            ? [.. n.Children.OfType<YamlScalarNode>().Select(x => x.Value ?? string.Empty)]
            : [];
        return new KubernetesSdConfig(role, names);
    }
}
