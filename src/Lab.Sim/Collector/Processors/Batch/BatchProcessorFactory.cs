using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Pipeline;

namespace OtelLab.Sim.Collector.Processors.Batch;

/// <summary>Builds <see cref="BatchProcessor"/> (type <c>batch</c>).</summary>
public sealed class BatchProcessorFactory : IComponentFactory
{
    public string Type => "batch";

    public ComponentKind Kind => ComponentKind.Processor;

    public IReadOnlySet<string> Signals { get; } = new HashSet<string>(StringComparer.Ordinal) { "traces", "metrics" };

    public ICollectorComponent Create(ComponentCreateContext context) => new BatchProcessor(context);
}
