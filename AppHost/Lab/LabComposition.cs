using OtelLab.Scenarios;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Monitoring;
using OtelLab.Sim.Kubelet;

namespace OtelLab.AppHost.Lab;

/// <summary>
/// The one place the AppHost plugs components into the lab (seams for the lead at merge): container runtimes
/// (collector, Target Allocator + Prometheus, target farm, sample-service processes + trace load), the pipeline
/// telemetry behind the live views, and the checks the <c>test</c> verb judges by. Images no runtime serves run as
/// idle stand-ins (ready, doing nothing).
/// </summary>
internal static class LabComposition
{
    /// <summary>Runtimes asked in order, built once the lab's infrastructure is up. Add one line per runtime.</summary>
    public static IReadOnlyList<Func<SimLabServices, IContainerRuntime>> Runtimes { get; } =
    [
    ];

    /// <summary>Shards, spans per tier and keep rates for the views, from the plugged-in runtimes. Add one line per source.</summary>
    public static IReadOnlyList<Func<SimLab, IPipelineTelemetry>> Telemetry { get; } =
    [
    ];

    /// <summary>Manifests the lab adds to every scenario (the target farm's pods for targets.count). Add one line per source.</summary>
    public static IReadOnlyList<Func<Scenarios.Definition.ScenarioDefinition, Model.Manifests.ManifestSet?>> ExtraManifests { get; } =
    [
    ];

    public static IReadOnlyList<IScenarioCheck> Checks => ScenarioChecks.Default;

    public static SimLabOptions Options(Scenarios.Definition.ScenarioDefinition scenario) => new()
    {
        Scenario = scenario,
        RuntimeFactories = Runtimes,
        ExtraManifests = ExtraManifests,
    };

    public static IReadOnlyList<IPipelineTelemetry> TelemetryFor(SimLab lab) => Telemetry.Select(t => t(lab)).ToList();
}
