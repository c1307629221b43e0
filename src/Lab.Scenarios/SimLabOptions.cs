using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Definition;
using OtelLab.Sim.Kubelet;

namespace OtelLab.Scenarios;

/// <summary>How to bring a scenario up on the simulated substrate.</summary>
public sealed record SimLabOptions
{
    /// <summary>
    /// The scenario as <c>up</c> and <c>test</c> run it: every runtime of <see cref="LabRuntimes"/> and the target farm;
    /// the sample services run as processes from <paramref name="sampleServicesDirectory"/> (idle stand-ins when null).
    /// </summary>
    public static SimLabOptions ForScenario(ScenarioDefinition scenario, string? sampleServicesDirectory) => new()
    {
        Scenario = scenario,
        RuntimeFactories = LabRuntimes.All(sampleServicesDirectory),
        ExtraManifests = [LabRuntimes.FarmManifests],
    };

    public required ScenarioDefinition Scenario { get; init; }

    /// <summary>
    /// Container runtimes asked in order before the idle stand-in (seam: collector, TA, farm, sample services). Use
    /// <see cref="RuntimeFactories"/> for runtimes that need the running lab's services.
    /// </summary>
    public IReadOnlyList<IContainerRuntime> Runtimes { get; init; } = [];

    /// <summary>Runtimes built once the infrastructure is up (they get the cluster, DNS, egress, pod folders).</summary>
    public IReadOnlyList<Func<SimLabServices, IContainerRuntime>> RuntimeFactories { get; init; } = [];

    /// <summary>
    /// Manifests the lab adds to the scenario's, applied after them (seam: the target farm's pods for
    /// <c>targets.count</c>, e.g. <c>s =&gt; ManifestLoader.LoadText("farm.yaml", FarmManifests.Yaml(s.Targets.Count))</c>); null adds nothing.
    /// </summary>
    public IReadOnlyList<Func<ScenarioDefinition, ManifestSet?>> ExtraManifests { get; init; } = [];

    /// <summary>
    /// The wall clock under the lab clock (a <see cref="Model.Time.LabClock"/> given here is used as the lab clock
    /// itself); the lab runs it at the scenario's timeScale.
    /// </summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How long the workloads may take to become Ready.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Under watchOverWire, whether the operator runs as an API client too (the default); false keeps it reconciling
    /// in process while the other watchers use the wire (the API benchmark's way of measuring the operator's share).
    /// </summary>
    public bool OperatorOverWire { get; init; } = true;

    /// <summary>Folder for run files (pods' stand-in volumes); a fresh temp folder, deleted at shutdown, when null.</summary>
    /// <summary>The repositories the scenario's Argo CD Applications sync from; the <c>argocd</c> resource starts only when set and the manifests hold an Application.</summary>
    public GitOps.GitOpsOptions? GitOps { get; init; }

    /// <summary>
    /// Runs the scenario's checks against one revision of its GitOps repository, for the change gate's work note
    /// (<c>changeGate.checks: true</c>); null: the change requests carry the lint verdict only.
    /// </summary>
    public GitOps.RevisionChecksRun? RevisionChecks { get; init; }

    public string? WorkDirectory { get; init; }

    /// <summary>Where the lab writes its kubeconfig (<c>up --kubeconfig</c>); null: <c>kubeconfig</c> in the work directory.</summary>
    public string? KubeconfigPath { get; init; }

    /// <summary>
    /// ServiceAccounts that get a user and a context of their own in the kubeconfig (<c>otel-lab:NAMESPACE:NAME</c>),
    /// with a token the lab's ServiceAccount signer mints, so kubectl can act as them under the cluster's RBAC.
    /// </summary>
    public IReadOnlyList<Model.Rbac.RbacSubject> KubeconfigServiceAccounts { get; init; } = [];

    /// <summary>
    /// The address slot to run on, held by the caller for longer than this lab (e.g. <c>compare</c>'s two sides, which
    /// must see the same addresses: the Target Allocator hashes them); null: the lab claims the first free slot.
    /// </summary>
    public Sim.Networking.LoopbackAddressSlot? AddressSlot { get; init; }

    /// <summary>
    /// Called as each phase of the scenario's <c>load.simulations</c> ends; answering false stops the load (the limit
    /// search stops at the first step that breaks a threshold). Null: the simulations run to their end.
    /// </summary>
    public Func<Load.Simulations.LoadPhaseEnd, CancellationToken, Task<bool>>? LoadPhaseCompleted { get; init; }
}
