namespace OtelLab.Model.Crds;

/// <summary>An Argo CD <c>Application</c> (<c>argoproj.io/v1alpha1</c>): where the pipeline is delivered from.</summary>
public sealed record ArgoApplication
{
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    public string? Project { get; init; }

    public string? RepoUrl { get; init; }

    public string? TargetRevision { get; init; }

    public string? Path { get; init; }

    public string? DestinationNamespace { get; init; }

    public bool AutomatedPrune { get; init; }

    public bool SelfHeal { get; init; }
}
