using OtelLab.Scenarios;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Monitoring;
using OtelLab.Load.TargetFarm;
using OtelLab.Load.TargetFarm.Pods;
using OtelLab.Load.Traces.Pods;
using OtelLab.Model.Manifests;
using OtelLab.Sim.Collector.Runtime;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.TargetAllocation.Runtime;

namespace OtelLab.AppHost.Lab;

/// <summary>
/// The one place the AppHost plugs components into the lab : container runtimes
/// (collector, Target Allocator + Prometheus, target farm, sample-service processes + trace load), the pipeline
/// telemetry behind the live views, and the checks the <c>test</c> verb judges by. Images no runtime serves run as
/// idle stand-ins (ready, doing nothing).
/// </summary>
internal static class LabComposition
{
    /// <summary>Runtimes asked in order, built once the lab's infrastructure is up. Add one line per runtime.</summary>
    public static IReadOnlyList<Func<SimLabServices, IContainerRuntime>> Runtimes { get; } =
    [
        s => new CollectorContainerRuntime(s.ExternalEndpoints, c => new CollectorInstanceOptions
        {
            // The pod's files are the lab's per-pod folders (where the Vault Agent stand-in renders /vault/secrets/…).
            ReadFile = path => CollectorInstance.ReadPodFile(s.PodRoot(c.Pod.Metadata.NamespaceProperty, c.Pod.Metadata.Name), path),
        }),
        _ => new TargetAllocatorContainerRuntime(),
        s => new ScrapeTargetContainerRuntime(new TargetShape(s.Scenario.Targets.MetricsPerTarget, s.Scenario.Targets.SeriesPerMetric, LabelCount: 2)),
        _ => new TraceSenderContainerRuntime(),
        s => SampleServiceProcesses(s),
    ];

    /// <summary>Shards, spans per tier and keep rates for the views, from the plugged-in runtimes. Add one line per source.</summary>
    public static IReadOnlyList<Func<SimLab, IPipelineTelemetry>> Telemetry { get; } =
    [
        lab => new RuntimePipelineTelemetry(lab),
    ];

    /// <summary>Manifests the lab adds to every scenario (the target farm's pods for targets.count). Add one line per source.</summary>
    public static IReadOnlyList<Func<Scenarios.Definition.ScenarioDefinition, Model.Manifests.ManifestSet?>> ExtraManifests { get; } =
    [
        s => s.Targets.Count > 0 ? ManifestLoader.LoadText("target-farm.yaml", FarmManifests.Yaml(s.Targets.Count)) : null,
    ];

    public static IReadOnlyList<IScenarioCheck> Checks => ScenarioChecks.Default;

    public static SimLabOptions Options(Scenarios.Definition.ScenarioDefinition scenario) => new()
    {
        Scenario = scenario,
        RuntimeFactories = Runtimes,
        ExtraManifests = ExtraManifests,
    };

    // Sample services run as child processes when their sources are next to the lab (a repo checkout); otherwise their
    // pods fall through to the idle stand-in and the console says so through the resource's log.
    private static IContainerRuntime SampleServiceProcesses(SimLabServices services)
    {
        var directory = BundledScenarios.LocateSampleServices();
        return directory is null
            ? new IdleContainerRuntime()
            : new ProcessContainerRuntime(ProcessImageCatalog.Load(directory), Path.Combine(services.PodsDirectory, "_processes"));
    }

    /// <summary>
    /// Why the scenario's sample services could not run here (a missing java, python3 or node, an unbuilt agent), one
    /// line each, said before anything starts rather than as pods crash-looping; empty when they can, or when the
    /// scenario runs none.
    /// </summary>
    public static IReadOnlyList<string> SampleServiceProblems(SimLab lab)
    {
        ArgumentNullException.ThrowIfNull(lab);
        if (BundledScenarios.LocateSampleServices() is not { } directory)
        {
            return [];
        }

        var catalog = ProcessImageCatalog.Load(directory);
        var images = lab.Manifests.Objects.Select(o => o.Typed).SelectMany(ContainerImages);
        return images.Any(i => catalog.Find(i) is { Command.Count: > 0 }) ? catalog.Problems() : [];
    }

    private static IEnumerable<string> ContainerImages(object? model)
    {
        var spec = model switch
        {
            k8s.Models.V1Deployment d => d.Spec?.Template?.Spec,
            k8s.Models.V1StatefulSet s => s.Spec?.Template?.Spec,
            k8s.Models.V1DaemonSet d => d.Spec?.Template?.Spec,
            k8s.Models.V1Pod p => p.Spec,
            _ => null,
        };
        return spec is null ? [] : (spec.Containers ?? []).Concat(spec.InitContainers ?? []).Select(c => c.Image).OfType<string>();
    }

    public static IReadOnlyList<IPipelineTelemetry> TelemetryFor(SimLab lab) => Telemetry.Select(t => t(lab)).ToList();
}
