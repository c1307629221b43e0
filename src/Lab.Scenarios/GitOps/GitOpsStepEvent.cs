using OtelLab.Scenarios.Definition;

namespace OtelLab.Scenarios.GitOps;

/// <summary>
/// What one <c>gitops.steps</c> entry did, at what lab time from the start of the load: the commit's SHA, the change
/// request decided, how long a sync was held, when the Application synced. <see cref="Ok"/> is false when the step
/// could not do what it says (no change request to decide, no sync within the bound).
/// </summary>
public sealed record GitOpsStepEvent(GitOpsStep Step, TimeSpan At, bool Ok, string Outcome)
{
    /// <summary>The commit a commit step made, or the revision of the change request a decision was about.</summary>
    public string? Revision { get; init; }
}
