using OtelLab.Load.TargetFarm;
using OtelLab.Load.TargetFarm.Pods;
using OtelLab.Load.Traces.Pods;
using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Definition;
using OtelLab.Sim.Collector.Runtime;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.TargetAllocation.Runtime;

namespace OtelLab.Scenarios;

/// <summary>
/// What runs the lab's pods, as <c>up</c> and <c>test</c> run them: the emulated collector, the Target Allocator, the
/// target farm, the in-process trace sender and the sample services as real processes; images no runtime serves run
/// as idle stand-ins (ready, doing nothing). Also the manifests the lab adds to a scenario (the farm's pods).
/// </summary>
public static class LabRuntimes
{
    /// <summary>Runtimes asked in order, built once the lab's infrastructure is up.</summary>
    public static IReadOnlyList<Func<SimLabServices, IContainerRuntime>> All(string? sampleServicesDirectory) =>
    [
        s => new CollectorContainerRuntime(s.ExternalEndpoints, c => new CollectorInstanceOptions
        {
            // The pod's files are the lab's per-pod folders (where the Vault Agent stand-in renders /vault/secrets/…).
            ReadFile = path => CollectorInstance.ReadPodFile(s.PodRoot(c.Pod.Metadata.NamespaceProperty, c.Pod.Metadata.Name), path),
        }),
        _ => new TargetAllocatorContainerRuntime(),
        // load.farm.seriesInterval: avalanche's --series-interval on every farm pod (all series replaced each interval).
        s => new ScrapeTargetContainerRuntime(new TargetShape(s.Scenario.Targets.MetricsPerTarget, s.Scenario.Targets.SeriesPerMetric, LabelCount: 2), seriesChurnInterval: s.Scenario.Load.FarmSeriesInterval),
        _ => new TraceSenderContainerRuntime(),
        // Sample services run as child processes when their sources are at hand (a repository checkout); otherwise
        // their pods fall through to the idle stand-in.
        s => sampleServicesDirectory is null
            ? new IdleContainerRuntime()
            : new ProcessContainerRuntime(ProcessImageCatalog.Load(sampleServicesDirectory), Path.Combine(s.PodsDirectory, "_processes"))
            {
                EnvironmentOverlay = c => Internal.LoadShapeKnobs.For(s.Scenario.Load, c.Pod, c.Container),
            },
    ];

    /// <summary>The target farm's pods for <c>targets.count</c> (none when it is 0).</summary>
    public static ManifestSet? FarmManifests(ScenarioDefinition scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return scenario.Targets.Count > 0 ? ManifestLoader.LoadText("target-farm.yaml", Load.TargetFarm.Pods.FarmManifests.Yaml(scenario.Targets.Count)) : null;
    }
}
