using OtelLab.Model;

namespace OtelLab.Scenarios.Definition;

/// <summary>
/// A scenario's <c>gitops:</c> block: the lab builds a git repository at start (one real commit holding
/// <see cref="Files"/> under <see cref="Path"/>) and maps <see cref="RepoUrl"/> to it, so the scenario's Argo CD
/// Application syncs from it.
/// </summary>
public sealed record GitOpsSpec
{
    /// <summary>The Application's <c>spec.source.repoURL</c>.</summary>
    public required string RepoUrl { get; init; }

    /// <summary>The folder in the repository (the Application's <c>spec.source.path</c>).</summary>
    public required string Path { get; init; }

    /// <summary>The manifest files committed under <see cref="Path"/> (absolute).</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>
    /// <c>changeGate.servicenow</c>: the Vault KV path holding <c>username</c> and <c>password</c> for a ServiceNow
    /// change gate in front of Argo CD's automated syncs (the lab starts the mock with those credentials); null for none.
    /// </summary>
    public string? ServiceNowCredentials { get; init; }

    /// <summary>
    /// <c>changeGate.checks: true</c>: each change request also carries the result of the scenario's checks run against
    /// its revision (a full lab run in the background; approval is requested when it finishes).
    /// </summary>
    public bool GateRunsChecks { get; init; }

    /// <summary>The steps run in order once the load starts (commits, approvals, waits).</summary>
    public IReadOnlyList<GitOpsStep> Steps { get; init; } = [];

    /// <summary>Where the block is in scenario.yaml (for errors).</summary>
    public required SourceLocation Location { get; init; }
}
