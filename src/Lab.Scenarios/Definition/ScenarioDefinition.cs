using OtelLab.Model.Install;
using OtelLab.Sim.Vault;

namespace OtelLab.Scenarios.Definition;

/// <summary>
/// A scenario: <c>scenarios/NAME/scenario.yaml</c> plus its <c>manifests/</c> folder. Data only; the lab brings it up
/// (<see cref="SimLab"/>) and the checks judge the run against <see cref="Expectations"/>.
/// </summary>
public sealed record ScenarioDefinition
{
    private readonly IReadOnlyList<string>? _manifestPaths;

    public required string Name { get; init; }

    public string Description { get; init; } = "";

    /// <summary>The scenario.yaml this came from (null for a bare <c>--manifests DIR</c> run).</summary>
    public string? File { get; init; }

    /// <summary>The folder of plain Kubernetes YAML applied to the cluster.</summary>
    public required string ManifestsPath { get; init; }

    /// <summary>Every folder or file of the manifests (<c>manifests:</c> may list several); by default just <see cref="ManifestsPath"/>.</summary>
    public IReadOnlyList<string> ManifestPaths
    {
        get => _manifestPaths ?? [ManifestsPath];
        init => _manifestPaths = value;
    }

    /// <summary>
    /// Scenario folders the <c>test</c> verb also runs and reports with this one: the same pipeline with only the
    /// defects that block a run fixed, so the defects they hide are measured too (e.g. the guide's gateway never starts).
    /// </summary>
    public IReadOnlyList<string> Variants { get; init; } = [];

    public int Nodes { get; init; } = 3;

    /// <summary>
    /// <c>cluster.watchOverWire</c> (or <c>--watch-over-wire</c>): the lab's own list/watch consumers (the Target
    /// Allocator's discovery, k8sattributes, the loadbalancing exporter's k8s resolver, the operator's manager) go
    /// through the API server over HTTP with KubernetesClient as their ServiceAccount, instead of reading the store in
    /// process (the default, faster). Sim only.
    /// </summary>
    public bool WatchOverWire { get; init; }

    /// <summary>Sim time runs this many times faster than the manifests say (sim only; 1 = real time).</summary>
    public double TimeScale { get; init; } = 1;

    public TargetsSpec Targets { get; init; } = new();

    public LoadSpec Load { get; init; } = new();

    /// <summary>Fault steps timed from the start of the load (<c>faults:</c>); empty when none.</summary>
    public IReadOnlyList<FaultSpec> Faults { get; init; } = [];

    public BackendsSpec Backends { get; init; } = new();

    public VaultBlock? Vault { get; init; }

    /// <summary>The Helm releases installed before the manifests (<c>install.releases</c>); none when not declared.</summary>
    public InstallSpec Install { get; init; } = InstallSpec.None;

    /// <summary>The <c>gitops:</c> block: a repository built at start for the scenario's Argo CD Application, or null.</summary>
    public GitOpsSpec? GitOps { get; init; }

    /// <summary>kubectl runs with expectations (<c>steps:</c>), in order, once the lab is ready; empty when none.</summary>
    public IReadOnlyList<KubectlStep> Steps { get; init; } = [];

    public ScenarioExpectations Expectations { get; init; } = new();
}
