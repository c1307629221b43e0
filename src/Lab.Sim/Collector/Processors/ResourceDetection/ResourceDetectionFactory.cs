using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Internal;
using OtelLab.Sim.Collector.Pipeline;

namespace OtelLab.Sim.Collector.Processors.ResourceDetection;

/// <summary>Builds <c>resourcedetection</c> processors (contrib).</summary>
public sealed class ResourceDetectionFactory : IComponentFactory
{
    private static readonly string[] Emulated = ["env", "system", "ec2", "eks"];

    public string Type => "resourcedetection";

    public ComponentKind Kind => ComponentKind.Processor;

    public IReadOnlySet<string> Signals { get; } = new HashSet<string>(StringComparer.Ordinal) { "traces", "metrics" };

    public ICollectorComponent Create(ComponentCreateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var s = new ComponentSettings(context);
        // upstream config.go: detectors, override (default true), timeout, client settings, per-detector sections.
        var detectors = s.Strings(s.Root, "detectors", "detectors");
        foreach (var d in detectors)
        {
            if (!Emulated.Contains(d))
            {
                // upstream factory.go getResourceDetectionConfig: "invalid detector key: %v" for unknown types.
                throw s.Error(ComponentSettings.Child(s.Root, "detectors"), $"detector '{d}' is not emulated by the lab (env, system, ec2, eks)");
            }
        }

        return new ResourceDetectionProcessor(context, detectors, s.Bool(s.Root, "override", "override") ?? true);
    }
}
