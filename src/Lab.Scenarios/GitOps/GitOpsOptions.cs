using OtelLab.Sim.ArgoCd;

namespace OtelLab.Scenarios.GitOps;

/// <summary>Where the lab's Argo CD finds each Application's repository, and the change gate in front of its syncs.</summary>
public sealed record GitOpsOptions
{
    public required GitRepositoryMap Repositories { get; init; }

    /// <summary>The change gate (e.g. <see cref="ServiceNowChangeGate"/>), or null for none.</summary>
    public ISyncGate? Gate { get; init; }

    public ArgoCdOptions Controller { get; init; } = new();
}
