namespace OtelLab.Model.Install;

/// <summary>
/// One <c>helm upgrade --install</c>, as a scenario declares it: the words are Helm's (release name, chart, repo,
/// version, namespace, <c>--set</c>, <c>--values</c>).
/// </summary>
public sealed record HelmRelease
{
    /// <summary>The release name (<c>helm install NAME</c>); it prefixes the chart's ClusterRoles.</summary>
    public required string Name { get; init; }

    /// <summary>The chart as written on the command line, e.g. <c>open-telemetry/opentelemetry-operator</c>.</summary>
    public required string Chart { get; init; }

    /// <summary><c>--version</c>, as written (cert-manager's carry a leading <c>v</c>).</summary>
    public required string Version { get; init; }

    /// <summary>The chart repository URL (<c>helm repo add NAME URL</c>).</summary>
    public string? Repo { get; init; }

    public string Namespace { get; init; } = "default";

    public bool CreateNamespace { get; init; }

    /// <summary><c>--set</c> expressions in order, each as written (<c>a.b=c</c>, <c>list={x,y}</c>).</summary>
    public IReadOnlyList<HelmSetValue> Set { get; init; } = [];

    /// <summary><c>--values</c> files in order (later files win, then <c>--set</c>).</summary>
    public IReadOnlyList<HelmValuesFile> Values { get; init; } = [];

    public SourceLocation Location { get; init; } = SourceLocation.None;

    /// <summary>The chart's name without its repository alias (<c>opentelemetry-operator</c>).</summary>
    public string ChartName => Chart.Contains('/', StringComparison.Ordinal) ? Chart[(Chart.LastIndexOf('/') + 1)..] : Chart;

    public string Display => $"release {Name} ({ChartName} {Version})";
}
