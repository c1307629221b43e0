using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Pipeline;

namespace OtelLab.Sim.Collector.Receivers.Otlp;

/// <summary>Builds <see cref="OtlpReceiver"/> (type <c>otlp</c>; traces and metrics — logs are not emulated).</summary>
public sealed class OtlpReceiverFactory : IComponentFactory
{
    public string Type => "otlp";

    public ComponentKind Kind => ComponentKind.Receiver;

    public IReadOnlySet<string> Signals { get; } = new HashSet<string>(StringComparer.Ordinal) { "traces", "metrics" };

    public ICollectorComponent Create(ComponentCreateContext context) => new OtlpReceiver(context);
}
