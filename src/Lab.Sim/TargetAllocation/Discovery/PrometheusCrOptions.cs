using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.TargetAllocation.Discovery;

/// <summary>
/// The TA's <c>prometheus_cr</c> block: whether ServiceMonitors/PodMonitors are discovered, their default scrape
/// interval and the monitor selectors (null selects every monitor, upstream TA config.go).
/// </summary>
public sealed record PrometheusCrOptions
{
    public bool Enabled { get; init; }

    /// <summary>upstream TA default 30s.</summary>
    public TimeSpan ScrapeInterval { get; init; } = TimeSpan.FromSeconds(30);

    public LabelSelector? ServiceMonitorSelector { get; init; }

    public LabelSelector? PodMonitorSelector { get; init; }
}
