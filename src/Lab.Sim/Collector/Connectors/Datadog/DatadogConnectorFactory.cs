using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Pipeline;

namespace OtelLab.Sim.Collector.Connectors.Datadog;

/// <summary>Builds <c>datadog</c> connectors (contrib): a traces pipeline's exporter, a traces and metrics pipelines' receiver.</summary>
public sealed class DatadogConnectorFactory : IComponentFactory
{
    public string Type => "datadog";

    public ComponentKind Kind => ComponentKind.Connector;

    public IReadOnlySet<string> Signals { get; } = new HashSet<string>(StringComparer.Ordinal) { "traces", "metrics" };

    public ICollectorComponent Create(ComponentCreateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new DatadogConnector(context);
    }
}
