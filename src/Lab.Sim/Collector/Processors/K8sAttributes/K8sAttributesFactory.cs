using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Processors.K8sAttributes.Internal;

namespace OtelLab.Sim.Collector.Processors.K8sAttributes;

/// <summary>Builds <c>k8sattributes</c> processors (contrib; in the contrib and k8s distributions).</summary>
public sealed class K8sAttributesFactory : IComponentFactory
{
    public string Type => "k8sattributes";

    public ComponentKind Kind => ComponentKind.Processor;

    public IReadOnlySet<string> Signals { get; } = new HashSet<string>(StringComparer.Ordinal) { "traces", "metrics" };

    public ICollectorComponent Create(ComponentCreateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new K8sAttributesProcessor(context, K8sAttributesConfigReader.Read(context));
    }
}
