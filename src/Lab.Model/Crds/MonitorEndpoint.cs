using YamlDotNet.RepresentationModel;

namespace OtelLab.Model.Crds;

/// <summary>An endpoint of a ServiceMonitor (<c>endpoints[]</c>) or PodMonitor (<c>podMetricsEndpoints[]</c>).</summary>
public sealed record MonitorEndpoint(
    string? Port,
    string? TargetPort,
    string Path,
    string Scheme,
    string? Interval,
    YamlSequenceNode? Relabelings,
    YamlSequenceNode? MetricRelabelings);
