using OtelLab.Scenarios;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Monitoring;
using OtelLab.Sim.Kubelet;

namespace OtelLab.AppHost.Lab;

/// <summary>
/// What the AppHost adds to the simulated substrate: where the sample services are (next to the binary or the
/// repository checkout), the checks the <c>test</c> verb judges by, the pipeline telemetry behind the views, and the
/// pre-flight that says why the sample services could not run here.
/// </summary>
internal static class LabComposition
{
    public static IReadOnlyList<IScenarioCheck> Checks => ScenarioChecks.Default;

    public static SimLabOptions Options(Scenarios.Definition.ScenarioDefinition scenario) =>
        SimLabOptions.ForScenario(scenario, BundledScenarios.LocateSampleServices()) with { RevisionChecks = RevisionChecksProcess.RunAsync };

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

    /// <summary>Shards, spans per tier and keep rates for the views, read from the running pods' runtimes.</summary>
    public static IReadOnlyList<IPipelineTelemetry> TelemetryFor(SimLab lab) => [new RuntimePipelineTelemetry(lab)];
}
