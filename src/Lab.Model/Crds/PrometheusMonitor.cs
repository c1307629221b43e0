namespace OtelLab.Model.Crds;

/// <summary>
/// A Prometheus Operator ServiceMonitor or PodMonitor (<c>monitoring.coreos.com/v1</c>). The TA names its jobs
/// <c>serviceMonitor/&lt;ns&gt;/&lt;name&gt;/&lt;endpoint index&gt;</c> (podMonitor likewise).
/// </summary>
public sealed record PrometheusMonitor
{
    public required string Kind { get; init; }

    public required string Name { get; init; }

    public required string Namespace { get; init; }

    public IReadOnlyDictionary<string, string> Selector { get; init; } = new Dictionary<string, string>();

    /// <summary><c>spec.selector.matchExpressions</c>, in manifest order (ANDed with <see cref="Selector"/>).</summary>
    public IReadOnlyList<MonitorSelectorExpression> SelectorExpressions { get; init; } = [];

    public bool AnyNamespace { get; init; }

    public IReadOnlyList<string> NamespaceNames { get; init; } = [];

    public IReadOnlyList<MonitorEndpoint> Endpoints { get; init; } = [];

    public string JobName(int endpointIndex) =>
        $"{(Kind == "ServiceMonitor" ? "serviceMonitor" : "podMonitor")}/{Namespace}/{Name}/{endpointIndex}";
}
