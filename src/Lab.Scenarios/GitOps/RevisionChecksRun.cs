using OtelLab.Scenarios.Definition;

namespace OtelLab.Scenarios.GitOps;

/// <summary>
/// Runs <paramref name="scenario"/>'s checks against <paramref name="revision"/> of <paramref name="repository"/> and
/// returns their result as a change request's work note. A lab cannot start a second lab beside itself (both would take
/// the same loopback addresses), so the host that composes the lab supplies this.
/// </summary>
public delegate Task<string> RevisionChecksRun(ScenarioDefinition scenario, string repository, string revision, CancellationToken cancellationToken);
