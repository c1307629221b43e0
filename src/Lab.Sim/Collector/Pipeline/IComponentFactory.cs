using OtelLab.Model.Collector;

namespace OtelLab.Sim.Collector.Pipeline;

/// <summary>
/// Builds one component type (upstream <c>receiver.Factory</c>/<c>processor.Factory</c>/<c>exporter.Factory</c>). The
/// collector distribution of the image decides which factories exist; a config naming a type with no factory fails like
/// upstream (<c>unknown type: "x" for id: "x" (valid values: [...])</c>).
/// </summary>
public interface IComponentFactory
{
    /// <summary>The component type as written in the config (<c>otlp</c>, <c>k8sattributes</c>, …).</summary>
    string Type { get; }

    ComponentKind Kind { get; }

    /// <summary>Signals the type supports (<c>traces</c>, <c>metrics</c>, <c>logs</c>).</summary>
    IReadOnlySet<string> Signals { get; }

    /// <summary>
    /// Builds the component for <see cref="ComponentCreateContext.Signal"/>. Invalid settings throw
    /// <see cref="CollectorStartException"/> with upstream's wording and the config's file:line when known.
    /// </summary>
    ICollectorComponent Create(ComponentCreateContext context);
}
