using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.TargetAllocation;
using OtelLab.Sim.TargetAllocation.Internal;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Sim.Collector.Receivers.Prometheus;

/// <summary>
/// The prometheus receiver's settings (upstream: receiver/prometheusreceiver config.go): the embedded Prometheus
/// <c>config</c> (global + static <c>scrape_configs</c>) and the optional <c>target_allocator</c> block
/// (<c>endpoint</c>, <c>interval</c> default 30s, <c>collector_id</c>).
/// </summary>
public sealed record PrometheusReceiverSettings
{
    public IReadOnlyList<ScrapeConfig> ScrapeConfigs { get; init; } = [];

    public Uri? TargetAllocatorEndpoint { get; init; }

    /// <summary>upstream default 30s.</summary>
    public TimeSpan TargetAllocatorInterval { get; init; } = TimeSpan.FromSeconds(30);

    public string CollectorId { get; init; } = string.Empty;

    /// <summary>Reads the settings; a bad one throws <see cref="CollectorStartException"/> naming the receiver.</summary>
    public static PrometheusReceiverSettings Read(string id, YamlMappingNode? settings)
    {
        if (settings is null)
        {
            return new PrometheusReceiverSettings();
        }

        try
        {
            var config = PrometheusConfigYaml.Child(settings, "config") as YamlMappingNode;
            var global = config is not null && PrometheusConfigYaml.Child(config, "global") is YamlMappingNode g ? PrometheusConfigYaml.Duration(g, "scrape_interval") : null;
            var result = new PrometheusReceiverSettings
            {
                ScrapeConfigs = config is null ? [] : PrometheusConfigYaml.ScrapeConfigs(PrometheusConfigYaml.Child(config, "scrape_configs"), global),
            };
            if (PrometheusConfigYaml.Child(settings, "target_allocator") is YamlMappingNode ta)
            {
                var endpoint = PrometheusConfigYaml.Scalar(ta, "endpoint");
                if (string.IsNullOrEmpty(endpoint) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
                {
                    throw new FormatException($"target_allocator: endpoint \"{endpoint}\" is not a URL");
                }

                result = result with
                {
                    TargetAllocatorEndpoint = uri,
                    TargetAllocatorInterval = PrometheusConfigYaml.Duration(ta, "interval") ?? TimeSpan.FromSeconds(30),
                    CollectorId = PrometheusConfigYaml.Scalar(ta, "collector_id") ?? string.Empty,
                };
            }

            return result;
        }
        catch (FormatException ex)
        {
            throw new CollectorStartException($"error decoding 'receivers': error reading configuration for \"{id}\": {ex.Message}", ex);
        }
    }
}
