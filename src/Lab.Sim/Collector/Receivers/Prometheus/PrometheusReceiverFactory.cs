using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Pipeline;

namespace OtelLab.Sim.Collector.Receivers.Prometheus;

/// <summary>The <c>prometheus</c> receiver type (metrics only; upstream contrib receiver/prometheusreceiver).</summary>
public sealed class PrometheusReceiverFactory : IComponentFactory
{
    public string Type => "prometheus";

    public ComponentKind Kind => ComponentKind.Receiver;

    public IReadOnlySet<string> Signals { get; } = new HashSet<string>(StringComparer.Ordinal) { "metrics" };

    public ICollectorComponent Create(ComponentCreateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = PrometheusReceiverSettings.Read(context.Id.ToString(), context.Settings);
        var next = context.NextMetrics ?? throw new CollectorStartException($"receiver \"{context.Id}\" has no next metrics consumer");
        return new PrometheusReceiver(settings, next, context.Container, context.Telemetry, context.Id.ToString());
    }
}
