namespace OtelLab.Model.Crds;

/// <summary><c>targetAllocator.prometheusCR</c>: whether ServiceMonitors/PodMonitors are discovered.</summary>
public sealed record PrometheusCRSettings(
    bool Enabled,
    string ScrapeInterval,
    IReadOnlyDictionary<string, string>? ServiceMonitorSelector,
    IReadOnlyDictionary<string, string>? PodMonitorSelector);
