using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Pipeline;

namespace OtelLab.Sim.Collector.Processors.MemoryLimiter;

/// <summary>Builds <see cref="MemoryLimiterProcessor"/> (type <c>memory_limiter</c>).</summary>
public sealed class MemoryLimiterProcessorFactory : IComponentFactory
{
    public string Type => "memory_limiter";

    public ComponentKind Kind => ComponentKind.Processor;

    public IReadOnlySet<string> Signals { get; } = new HashSet<string>(StringComparer.Ordinal) { "traces", "metrics" };

    public ICollectorComponent Create(ComponentCreateContext context) => new MemoryLimiterProcessor(context);
}
