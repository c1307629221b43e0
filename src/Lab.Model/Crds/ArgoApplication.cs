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

    /// <summary>True when <c>spec.syncPolicy.automated</c> is present and not <c>enabled: false</c> (argo-cd types.go IsAutomatedSyncEnabled).</summary>
    public bool Automated { get; init; }

    public bool AutomatedPrune { get; init; }

    public bool SelfHeal { get; init; }

    /// <summary><c>spec.source.directory.recurse</c> (default false).</summary>
    public bool DirectoryRecurse { get; init; }

    /// <summary><c>spec.source.helm</c> is set: a Helm source.</summary>
    public bool HasHelm { get; init; }

    /// <summary><c>spec.syncPolicy.syncOptions</c>, e.g. <c>CreateNamespace=true</c>.</summary>
    public IReadOnlyList<string> SyncOptions { get; init; } = [];

    /// <summary><c>metadata.finalizers</c> (<c>resources-finalizer.argocd.argoproj.io</c> makes deletion cascade).</summary>
    public IReadOnlyList<string> Finalizers { get; init; } = [];
}
