using OtelLab.Sim.Relabeling;

namespace OtelLab.Sim.TargetAllocation;

/// <summary>
/// One Prometheus <c>scrape_config</c> as the TA holds and serves it (upstream: prometheus config.ScrapeConfig). Only
/// the fields the lab uses are modelled; the defaults are Prometheus 3's.
/// </summary>
public sealed record ScrapeConfig
{
    public required string JobName { get; init; }

    /// <summary>Prometheus' global default is 1m.</summary>
    public TimeSpan ScrapeInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Prometheus' global default is 10s.</summary>
    public TimeSpan ScrapeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public string MetricsPath { get; init; } = "/metrics";

    public string Scheme { get; init; } = "http";

    public bool HonorLabels { get; init; }

    public bool HonorTimestamps { get; init; } = true;

    /// <summary>Set by the operator for ServiceMonitor jobs (e.g. <c>PrometheusText1.0.0</c>); omitted when null.</summary>
    public string? FallbackScrapeProtocol { get; init; }

    public IReadOnlyList<RelabelConfig> RelabelConfigs { get; init; } = [];

    public IReadOnlyList<RelabelConfig> MetricRelabelConfigs { get; init; } = [];

    public IReadOnlyList<StaticConfig> StaticConfigs { get; init; } = [];

    /// <summary><c>kubernetes_sd_configs</c>: discovered by a cluster target source (<see cref="Discovery.ClusterTargetSource"/>).</summary>
    public IReadOnlyList<Discovery.KubernetesSdConfig> KubernetesSdConfigs { get; init; } = [];

    /// <summary>The target groups Prometheus static discovery makes of <see cref="StaticConfigs"/>: one group per entry.</summary>
    public IEnumerable<TargetGroup> StaticTargetGroups() => StaticConfigs.Select((config, index) => new TargetGroup(
        JobName,
        [.. config.Targets.Select(t => LabelSet.From((Label.Address, t)))],
        config.Labels,
        $"{index}"));
}
